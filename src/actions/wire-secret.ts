/**
 * A secret as the API answers it (DescribeSecret's `Secret`, DescribeSecrets' `Secrets[]`). A types-only
 * module with no imports, so that the browser console can share it with the server's presenters.
 */
export interface WireSecret {
  ID: string;
  Trn: string;
  UID: string;
  SecretName: string;
  SecretType: string;
  SecretState: string;
  ProjectName: string;
  Description: string;
  EncryptionKey: string;
  ExtendedConfig: string;
  Managed: boolean;
  OwningService: string;
  RotationState: string;
  RotationInterval: number;
  LastRotationTime: string;
  ScheduleRotationTime: string;
  ScheduleDeleteTime: string;
  CreationDate: number;
  UpdateDate: number;
}
