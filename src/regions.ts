/**
 * The Volcengine regions (public cloud, mainland and overseas) as listed in Volcengine's endpoint
 * documentation when this table was written. A region outside it is still accepted (private and new
 * regions exist); the server only warns, because a typo here silently splits secrets between regions.
 */
export const VOLCENGINE_REGIONS: Readonly<Record<string, string>> = {
  'cn-beijing': 'China North 2 (Beijing)',
  'cn-shanghai': 'China East 2 (Shanghai)',
  'cn-guangzhou': 'China South 1 (Guangzhou)',
  'cn-hongkong': 'China (Hong Kong)',
  'ap-southeast-1': 'Asia Pacific Southeast (Johor)',
  'ap-southeast-3': 'Asia Pacific Southeast (Jakarta)',
};

export function isVolcengineRegion(region: string): boolean {
  return Object.prototype.hasOwnProperty.call(VOLCENGINE_REGIONS, region);
}
