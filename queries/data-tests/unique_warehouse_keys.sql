-- grain: one row per natural key given more than once in a warehouse table (the keys are not
-- declared as indexes, for load speed; a fact's key includes its origin_unit, the former province of
-- a merged department; the loader refuses duplicates and this test proves it)
-- severity: error
-- vi: Khóa trùng trong kho dữ liệu
-- en: Duplicate key in the warehouse
-- Each table is grouped by the hash of its key columns first: a key given twice has one hash, so
-- only the rows of a hash seen twice (none, but for a duplicate or a collision) are grouped by
-- the columns themselves, and only a repeated key is spelled out as text. Grouping every row by
-- its columns made this the slowest test of a load; building the text of every key, more so.
with task_h as (
  select hash(province_code, task_code) as h from task group by h having count(*) > 1
),
indicator_h as (
  select hash(province_code, indicator_key) as h from indicator group by h having count(*) > 1
),
fact_task_approved_h as (
  select hash(province_code, origin_unit, task_code, source_code) as h
  from fact_task_approved group by h having count(*) > 1
),
fact_task_funding_h as (
  select hash(province_code, origin_unit, task_code, year, measure_code, source_code) as h
  from fact_task_funding group by h having count(*) > 1
),
fact_budget_line_h as (
  select hash(province_code, origin_unit, line_code, year, measure_code, source_code) as h
  from fact_budget_line group by h having count(*) > 1
),
fact_indicator_h as (
  select hash(province_code, origin_unit, indicator_key, year, measure_code) as h
  from fact_indicator group by h having count(*) > 1
),
dup as (
  select 'task' as tbl, province_code || ' ' || task_code as k, count(*) as n
  from task
  where hash(province_code, task_code) in (select h from task_h)
  group by province_code, task_code having count(*) > 1
  union all
  select 'indicator', province_code || ' ' || indicator_key, count(*)
  from indicator
  where hash(province_code, indicator_key) in (select h from indicator_h)
  group by province_code, indicator_key having count(*) > 1
  union all
  select 'fact_task_approved', province_code || ' ' || task_code || ' ' || source_code, count(*)
  from fact_task_approved
  where hash(province_code, origin_unit, task_code, source_code) in (select h from fact_task_approved_h)
  group by province_code, origin_unit, task_code, source_code having count(*) > 1
  union all
  select 'fact_task_funding', province_code || ' ' || task_code || ' ' || year || ' ' || measure_code || ' ' || source_code, count(*)
  from fact_task_funding
  where hash(province_code, origin_unit, task_code, year, measure_code, source_code) in (select h from fact_task_funding_h)
  group by province_code, origin_unit, task_code, year, measure_code, source_code having count(*) > 1
  union all
  select 'fact_budget_line', province_code || ' ' || line_code || ' ' || year || ' ' || measure_code || ' ' || source_code, count(*)
  from fact_budget_line
  where hash(province_code, origin_unit, line_code, year, measure_code, source_code) in (select h from fact_budget_line_h)
  group by province_code, origin_unit, line_code, year, measure_code, source_code having count(*) > 1
  union all
  select 'fact_indicator', province_code || ' ' || indicator_key || ' ' || year || ' ' || measure_code, count(*)
  from fact_indicator
  where hash(province_code, origin_unit, indicator_key, year, measure_code) in (select h from fact_indicator_h)
  group by province_code, origin_unit, indicator_key, year, measure_code having count(*) > 1
  union all
  select 'fact_id', fact_id::varchar, count(*) from (
    select fact_id from fact_task_approved union all select fact_id from fact_task_funding
    union all select fact_id from fact_budget_line union all select fact_id from fact_indicator)
  group by fact_id having count(*) > 1
)
select tbl, k, tbl || ' ' || k || ': ' || n || ' rows' as detail
from dup
