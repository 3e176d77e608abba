-- grain: one row per load run (= generation)
select
  run_id,
  started_at,
  finished_at,
  command,
  outcome,
  files_read,
  files_loaded,
  rows_loaded,
  checksum
from load_run
