/** How many secrets one region holds (every account together). Import-free: it is part of the public types. */
export interface RegionCount {
  region: string;
  secrets: number;
}
