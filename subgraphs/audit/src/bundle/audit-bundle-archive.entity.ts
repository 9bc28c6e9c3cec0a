import { OptionalProps } from '@mikro-orm/core';
import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { TenantScopedEntity } from '@tranche/platform';

/**
 * The built archive of an AuditBundle (same id), a gzip'd tar file kept in PostgreSQL so that
 * any replica of the audit subgraph can serve it; apart from the bundle row so that listing
 * bundles never reads archives.
 */
@Entity({ tableName: 'audit_bundle_archive' })
export class AuditBundleArchive extends TenantScopedEntity {
  [OptionalProps]?: 'storedAt';

  @Property({ type: 'blob' })
  content!: Buffer;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  storedAt: Date = new Date();
}
