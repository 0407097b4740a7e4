CREATE OR REPLACE VIEW job_runs AS
SELECT j.name AS job, r.state, run_duration(r) AS duration
  FROM jobs j JOIN runs r ON r.job_uuid = j.uuid;
