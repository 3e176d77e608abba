-- grain: one row per natural key given more than once in a warehouse table (the keys are not
-- declared as indexes, for load speed; a fact's key includes its origin_unit, the former province of
-- a merged department; the loader refuses duplicates and this test proves it)
-- severity: error
-- vi: Khóa trùng trong kho dữ liệu
-- en: Duplicate key in the warehouse
-- Each table is grouped by its own key columns and only a repeated key is spelled out as text:
-- building the text of every key first made this the slowest test of a load.
with dup as (
  select 'task' as tbl, province_code || ' ' || task_code as k, count(*) as n
  from task group by province_code, task_code having count(*) > 1
  union all
  select 'indicator', province_code || ' ' || indicator_key, count(*)
  from indicator group by province_code, indicator_key having count(*) > 1
  union all
  select 'fact_task_approved', province_code || ' ' || task_code || ' ' || source_code, count(*)
  from fact_task_approved group by province_code, origin_unit, task_code, source_code having count(*) > 1
  union all
  select 'fact_task_funding', province_code || ' ' || task_code || ' ' || year || ' ' || measure_code || ' ' || source_code, count(*)
  from fact_task_funding group by province_code, origin_unit, task_code, year, measure_code, source_code having count(*) > 1
  union all
  select 'fact_budget_line', province_code || ' ' || line_code || ' ' || year || ' ' || measure_code || ' ' || source_code, count(*)
  from fact_budget_line group by province_code, origin_unit, line_code, year, measure_code, source_code having count(*) > 1
  union all
  select 'fact_indicator', province_code || ' ' || indicator_key || ' ' || year || ' ' || measure_code, count(*)
  from fact_indicator group by province_code, origin_unit, indicator_key, year, measure_code having count(*) > 1
  union all
  select 'fact_id', fact_id::varchar, count(*) from (
    select fact_id from fact_task_approved union all select fact_id from fact_task_funding
    union all select fact_id from fact_budget_line union all select fact_id from fact_indicator)
  group by fact_id having count(*) > 1
)
select tbl, k, tbl || ' ' || k || ': ' || n || ' rows' as detail
from dup
