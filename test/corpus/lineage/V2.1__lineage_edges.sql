CREATE TABLE lineage_edges (
    run_uuid     uuid NOT NULL REFERENCES runs (uuid),
    dataset_uuid uuid NOT NULL REFERENCES datasets (uuid),
    direction    text NOT NULL CHECK (direction IN ('in', 'out'))
);
CREATE INDEX lineage_edges_run ON lineage_edges (run_uuid); /* trailing comment; with a semicolon */
