-- grain: one row per file identity currently contributing to the warehouse
select
  file_id,
  office_code,
  sha256 as file_hash,
  size_bytes,
  mtime,
  run_id
from source_file
