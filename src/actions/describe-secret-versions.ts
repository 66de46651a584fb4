import { defineAction, pageRequest } from './action';
import { pageInfo, seconds } from './presenters';

interface DescribeSecretVersionsParams {
  SecretName: string;
  CurrentPage?: number;
  /** Terraform's name for CurrentPage */
  PageNumber?: number;
  PageSize?: number;
}

export const describeSecretVersions = defineAction<DescribeSecretVersionsParams>('DescribeSecretVersions', async ({ scope, services }, p) => {
  const page = pageRequest(p.CurrentPage ?? p.PageNumber, p.PageSize, 10);
  const versions = await services.secrets.listVersions(scope, p.SecretName, page);
  return {
    SecretVersions: versions.items.map((v) => ({ VersionID: v.id, VersionName: v.name ?? '', VersionStage: v.stage, CreationDate: seconds(v.createdAt) })),
    PageInfo: pageInfo(versions.items.length, page.page, page.size, versions.total),
  };
});
