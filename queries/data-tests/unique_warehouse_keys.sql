-- grain: one row per natural key given more than once in a warehouse table (the keys are not
-- declared as indexes, for load speed; the loader refuses duplicates and this test proves it)
-- severity: error
-- vi: Khóa trùng trong kho dữ liệu
-- en: Duplicate key in the warehouse
with keys as (
  select 'task' as tbl, province_code || ' ' || task_code as k from task
  union all
  select 'indicator', province_code || ' ' || indicator_key from indicator
  union all
  select 'fact_task_approved', province_code || ' ' || task_code || ' ' || source_code from fact_task_approved
  union all
  select 'fact_task_funding', province_code || ' ' || task_code || ' ' || year || ' ' || measure_code || ' ' || source_code from fact_task_funding
  union all
  select 'fact_budget_line', province_code || ' ' || line_code || ' ' || year || ' ' || measure_code || ' ' || source_code from fact_budget_line
  union all
  select 'fact_indicator', province_code || ' ' || indicator_key || ' ' || year || ' ' || measure_code from fact_indicator
  union all
  select 'fact_id', fact_id::varchar from (
    select fact_id from fact_task_approved union all select fact_id from fact_task_funding
    union all select fact_id from fact_budget_line union all select fact_id from fact_indicator)
)
select tbl, k, tbl || ' ' || k || ': ' || count(*) || ' rows' as detail
from keys
group by tbl, k
having count(*) > 1
