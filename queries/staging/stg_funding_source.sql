-- grain: one row per funding source (NSTW, NSDP, NGOAI_NSNN, NUOC_NGOAI)
select
  source_code,
  name_vi as source_name_vi,
  is_state_budget,
  sort as source_sort
from funding_source
