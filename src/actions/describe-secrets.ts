import { defineAction, pageRequest } from './action';
import { pageInfo, presentSecret } from './presenters';
import { parseSecretFilters } from './secret-filters';

interface DescribeSecretsParams {
  Filters?: string;
  ProjectName?: string;
  CurrentPage?: number;
  PageSize?: number;
}

export const describeSecrets = defineAction<DescribeSecretsParams>('DescribeSecrets', async ({ scope, services }, p) => {
  const filter = parseSecretFilters(p.Filters);
  if (p.ProjectName !== undefined) filter.projectName = p.ProjectName;
  const page = pageRequest(p.CurrentPage, p.PageSize, 10);
  const result = await services.secrets.list(scope, filter, page);
  return {
    Secrets: result.items.map(presentSecret),
    PageInfo: pageInfo(result.items.length, page.page, page.size, result.total),
  };
});
