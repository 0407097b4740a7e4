/* SPDX-License-Identifier: BSD-2-Clause
 * Indexes built without blocking writes on a live rental database.
 */
-- servicedb:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_actor_last_name ON public.actor USING btree (last_name);
CREATE INDEX CONCURRENTLY IF NOT EXISTS film_fulltext_idx ON public.film USING gist (fulltext);
DROP INDEX CONCURRENTLY IF EXISTS public.idx_actor_last_name;
CREATE UNIQUE INDEX CONCURRENTLY idx_actor_names ON public.actor (last_name, first_name);
