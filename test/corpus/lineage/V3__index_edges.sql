/* SPDX-License-Identifier: Apache-2.0 */
/* Built online: this table is large in production. */
-- servicedb:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS lineage_edges_dataset ON lineage_edges (dataset_uuid, direction);
