import type {
  CreateSecurityGroupRequest,
  DescribeSecurityGroupsRequest,
  SecurityGroup,
  Tag,
} from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc/v20170312/vpc_models.js';
import { CloudApiError } from './cloud-api-error.ts';
import { formatCloudTime } from './format-cloud-time.ts';
import { orderSecurityGroups } from './order-security-groups.ts';
import type { StoredRule } from './security-group-rule.ts';

/**
 * The security groups of the emulated account, per region, with their rules. Plain state and
 * rules of the VPC API, no HTTP: handlers and unit tests drive it directly.
 */
export interface StoredGroup {
  id: string;
  region: string;
  name: string;
  description: string;
  projectId: string;
  tags: Tag[];
  createdTime: string;
  updateTime: string;
  /** Grows by one per write to the rules (the reference's assumption), as a string on the wire. */
  version: number;
  ingress: StoredRule[];
  egress: StoredRule[];
}

export interface SecurityGroupStoreOptions {
  now: () => Date;
  newId: (prefix: string, taken: (id: string) => boolean) => string;
  groupsPerRegion: number;
}

const filterNames = new Set(['security-group-id', 'security-group-name', 'project-id', 'tag-key']);

function parsePaging(value: string | undefined, field: string, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(String(value).trim())) {
    throw new CloudApiError(
      'InvalidParameterValue',
      `The value of \`${field}\` must be a non-negative integer.`,
    );
  }
  const n = Number(value);
  if (n > max)
    throw new CloudApiError('InvalidParameterValue.Range', `The value of \`${field}\` exceeds ${max}.`);
  return n;
}

export class SecurityGroupStore {
  readonly #groups = new Map<string, StoredGroup>();
  readonly #options: SecurityGroupStoreOptions;

  constructor(options: SecurityGroupStoreOptions) {
    this.#options = options;
  }

  now(): string {
    return formatCloudTime(this.#options.now());
  }

  has(id: string): boolean {
    return this.#groups.has(id);
  }

  /** The group in the caller's region, or ResourceNotFound (a group of another region is not seen). */
  get(region: string, id: string): StoredGroup {
    const group = this.#groups.get(id);
    if (!group || group.region !== region) {
      throw new CloudApiError('ResourceNotFound', `The security group \`${id}\` does not exist.`);
    }
    return group;
  }

  all(): StoredGroup[] {
    return [...this.#groups.values()];
  }

  /** Seeds or restores a group as given (ids and rules included). */
  put(group: StoredGroup): void {
    this.#groups.set(group.id, group);
  }

  create(region: string, request: CreateSecurityGroupRequest): StoredGroup {
    const name = request.GroupName;
    const description = request.GroupDescription;
    if (!name) throw new CloudApiError('MissingParameter', 'The parameter `GroupName` is missing.');
    if (description === undefined) {
      throw new CloudApiError('MissingParameter', 'The parameter `GroupDescription` is missing.');
    }
    if (name.length > 60)
      throw new CloudApiError('InvalidParameterValue.TooLong', 'GroupName is longer than 60.');
    if (description.length > 100) {
      throw new CloudApiError('InvalidParameterValue.TooLong', 'GroupDescription is longer than 100.');
    }
    const tags = request.Tags ?? [];
    const keys = new Set<string>();
    for (const tag of tags) {
      if (!tag.Key) throw new CloudApiError('InvalidParameterValue', 'A tag key must not be empty.');
      if (keys.has(tag.Key))
        throw new CloudApiError('InvalidParameterValue.Duplicate', `Tag key ${tag.Key} repeats.`);
      keys.add(tag.Key);
    }
    const inRegion = this.all().filter((g) => g.region === region).length;
    if (inRegion >= this.#options.groupsPerRegion) {
      throw new CloudApiError(
        'LimitExceeded',
        `The quota of ${this.#options.groupsPerRegion} security groups in ${region} is used up.`,
      );
    }
    const now = this.now();
    const group: StoredGroup = {
      id: this.#options.newId('sg', (id) => this.#groups.has(id)),
      region,
      name,
      description,
      projectId:
        request.ProjectId === undefined || request.ProjectId === '' ? '0' : String(request.ProjectId),
      tags: tags.map((t) => ({ Key: t.Key, Value: t.Value ?? '' })),
      createdTime: now,
      updateTime: now,
      version: 0,
      ingress: [],
      egress: [],
    };
    this.#groups.set(group.id, group);
    return group;
  }

  describe(region: string, request: DescribeSecurityGroupsRequest): { groups: StoredGroup[]; total: number } {
    const ids = request.SecurityGroupIds;
    const filters = request.Filters;
    if (ids !== undefined && filters !== undefined) {
      throw new CloudApiError(
        'InvalidParameter.Coexist',
        'SecurityGroupIds and Filters cannot be given together.',
      );
    }
    const offset = parsePaging(request.Offset, 'Offset', 0, Number.MAX_SAFE_INTEGER);
    const limit = parsePaging(request.Limit, 'Limit', 20, 100);
    let matched: StoredGroup[];
    if (ids !== undefined) {
      if (ids.length > 100)
        throw new CloudApiError('InvalidParameterValue.Range', 'At most 100 SecurityGroupIds.');
      matched = ids.map((id) => this.get(region, id));
    } else {
      // Newest first, as the console lists them.
      matched = this.all()
        .filter((g) => g.region === region)
        .reverse();
      for (const filter of filters ?? []) {
        if (!filterNames.has(filter.Name) && !filter.Name.startsWith('tag:')) {
          throw new CloudApiError(
            'InvalidParameter.FilterInvalidKey',
            `The filter \`${filter.Name}\` is not supported.`,
          );
        }
        const values = filter.Values.map(String);
        matched = matched.filter((group) => matchesFilter(group, filter.Name, values));
      }
    }
    matched = orderSecurityGroups(matched, request, this.all());
    return { groups: matched.slice(offset, offset + limit), total: matched.length };
  }

  delete(region: string, id: string): void {
    this.get(region, id);
    const referrers = this.referrers(id);
    if (referrers.length > 0) {
      throw new CloudApiError(
        'ResourceInUse',
        `The security group \`${id}\` is referenced by the rules of ${referrers.join(', ')}.`,
      );
    }
    this.#groups.delete(id);
  }

  /** Other groups whose rules name `id` as their peer. */
  referrers(id: string): string[] {
    return this.all()
      .filter((g) => g.id !== id)
      .filter((g) =>
        [...g.ingress, ...g.egress].some((r) => r.peerKind === 'SecurityGroupId' && r.peer === id),
      )
      .map((g) => g.id);
  }

  toWire(group: StoredGroup): SecurityGroup {
    return {
      SecurityGroupId: group.id,
      SecurityGroupName: group.name,
      SecurityGroupDesc: group.description,
      ProjectId: group.projectId,
      IsDefault: false,
      CreatedTime: group.createdTime,
      UpdateTime: group.updateTime,
      TagSet: group.tags.map((t) => ({ ...t })),
    };
  }
}

/**
 * Values within one filter are OR-ed, filters AND-ed. The name filter matches a substring on
 * purpose: whether the real one is exact is unverified, so clients must re-check names.
 */
function matchesFilter(group: StoredGroup, name: string, values: string[]): boolean {
  switch (name) {
    case 'security-group-id':
      return values.includes(group.id);
    case 'security-group-name':
      return values.some((v) => group.name.includes(v));
    case 'project-id':
      return values.includes(group.projectId);
    case 'tag-key':
      return group.tags.some((t) => values.includes(t.Key));
    default: {
      const key = name.slice('tag:'.length);
      return group.tags.some((t) => t.Key === key && values.includes(t.Value ?? ''));
    }
  }
}
