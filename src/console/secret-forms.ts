/**
 * The create form of each SecretType, as data: the fields it asks for and how they become the
 * CreateSecret parameters (SecretValue and ExtendedConfig, both JSON text for typed secrets). The
 * server checks everything; a refusal is shown next to the form with the API's own message.
 * A new SecretType is one entry in SECRET_FORMS (database types reuse `databaseForm`).
 */

export interface FormField {
  /** key in the values given to `build` */
  key: string;
  label: string;
  kind: 'text' | 'password' | 'textarea' | 'select';
  options?: readonly string[];
  required?: boolean;
  hint?: string;
  /** shown (and read) only when this returns true for the current values */
  shownWhen?: (values: Readonly<Record<string, string>>) => boolean;
}

export interface SecretForm {
  type: string;
  /** RotateSecret and automatic rotation apply (every type but Generic) */
  rotatable: boolean;
  fields: readonly FormField[];
  build(values: Readonly<Record<string, string>>): { secretValue: string; extendedConfig?: string };
}

const json = (value: unknown): string => JSON.stringify(value);

/** ExtendedConfig's optional free-form CustomData (a JSON object), offered by every typed form. */
const CUSTOM_DATA: FormField = { key: 'CustomData', label: 'Custom data (JSON object)', kind: 'textarea', hint: 'Optional, e.g. {"team": "payments"}.' };

/**
 * ExtendedConfig text: the type's fields, plus CustomData as typed. The text is spliced in rather
 * than parsed here, so a malformed object is refused by the server with its own message.
 */
function extendedConfig(fields: Record<string, string>, customData: string | undefined): string {
  const base = json(fields);
  const custom = (customData ?? '').trim();
  return custom ? `${base.slice(0, -1)},"CustomData":${custom}}` : base;
}
/** Leaves out empty optional entries, so the server sees what was typed and nothing more. */
const compact = (o: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));

/** RDS-like types: an instance, one or two accounts (DoubleUsers rotates between them). */
export function databaseForm(type: string, instanceKey = 'DBInstanceId'): SecretForm {
  const double = (v: Readonly<Record<string, string>>) => v.SecretSubType === 'DoubleUsers';
  return {
    type,
    rotatable: true,
    fields: [
      { key: instanceKey, label: 'Instance ID', kind: 'text', required: true },
      { key: 'SecretSubType', label: 'Account mode', kind: 'select', options: ['SingleUser', 'DoubleUsers'] },
      { key: 'AccountName', label: 'Account name', kind: 'text', required: true },
      { key: 'AccountPassword', label: 'Account password', kind: 'password' },
      { key: 'AccountName2', label: 'Second account name', kind: 'text', shownWhen: double },
      { key: 'AccountPassword2', label: 'Second account password', kind: 'password', shownWhen: double },
      CUSTOM_DATA,
    ],
    build: (v) => {
      const accounts = [compact({ AccountName: v.AccountName, AccountPassword: v.AccountPassword })];
      if (double(v)) accounts.push(compact({ AccountName: v.AccountName2, AccountPassword: v.AccountPassword2 }));
      return {
        secretValue: json({ Accounts: accounts }),
        extendedConfig: extendedConfig({ [instanceKey]: v[instanceKey], SecretSubType: v.SecretSubType }, v.CustomData),
      };
    },
  };
}

const sshKey = (v: Readonly<Record<string, string>>) => v.SecretSubType === 'SSHKey';

export const SECRET_FORMS: readonly SecretForm[] = [
  {
    type: 'Generic',
    rotatable: false,
    fields: [{ key: 'SecretValue', label: 'Secret value', kind: 'textarea', required: true, hint: 'Any text, up to 30720 bytes.' }],
    build: (v) => ({ secretValue: v.SecretValue }),
  },
  {
    type: 'IAM',
    rotatable: true,
    fields: [
      { key: 'UserName', label: 'IAM user name', kind: 'text', required: true },
      { key: 'AccessKeyId', label: 'Access key ID of the user', kind: 'text', required: true },
      { key: 'AccessKeySecret', label: 'Access key secret of the user', kind: 'password' },
      CUSTOM_DATA,
    ],
    build: (v) => ({
      secretValue: json({ AccessKeys: [compact({ AccessKeyId: v.AccessKeyId, AccessKeySecret: v.AccessKeySecret })] }),
      extendedConfig: extendedConfig({ UserName: v.UserName, SecretSubType: 'IAMUserAccessKey' }, v.CustomData),
    }),
  },
  databaseForm('RDS'),
  databaseForm('Redis'),
  // the SDKs name these two without a documented shape; the server gives them the RDS shape
  databaseForm('PGSQL'),
  databaseForm('SQLServer'),
  {
    type: 'ECS',
    rotatable: true,
    fields: [
      { key: 'InstanceId', label: 'ECS instance ID', kind: 'text', required: true },
      { key: 'SecretSubType', label: 'Login kind', kind: 'select', options: ['Password', 'SSHKey'] },
      { key: 'UserName', label: 'Login user name', kind: 'text', required: true },
      { key: 'Password', label: 'Login password', kind: 'password', shownWhen: (v) => !sshKey(v) },
      { key: 'PublicKey', label: 'SSH public key', kind: 'textarea', shownWhen: sshKey },
      { key: 'PrivateKey', label: 'SSH private key', kind: 'textarea', shownWhen: sshKey },
      CUSTOM_DATA,
    ],
    build: (v) => ({
      secretValue: json(sshKey(v) ? { UserName: v.UserName, PublicKey: v.PublicKey, PrivateKey: v.PrivateKey } : { UserName: v.UserName, Password: v.Password }),
      extendedConfig: extendedConfig({ InstanceId: v.InstanceId, SecretSubType: v.SecretSubType }, v.CustomData),
    }),
  },
];

export function formOf(type: string): SecretForm | undefined {
  return SECRET_FORMS.find((f) => f.type === type);
}

export const SECRET_STATES = ['Enable', 'Disable', 'PendingDelete'] as const;
