-- grain: one row per budget line × fact that makes up its figure (the fact brings its year,
-- measure and source). A leaf is its own facts. A sum row is the sum of the facts below it that
-- have no figure further below for the same key: its leaves where the sheet gave them, a sum
-- fact where the sheet gave only the sum (the loader loads a sum row only when its leaves are
-- absent). Measure 'du_toan_or_de_xuat' = the plan-year figure (du_toan, else de_xuat) per key.
-- The key includes the fact's origin (the former province of a merged department): each former
-- province's sheet is complete in itself, so its sum rows and leaves are compared only with its own.
-- "No figure for the same key" is written as anti joins, not NOT EXISTS: DuckDB planned each
-- NOT EXISTS as a delim join, and the mart cost half as much again to make (the data tests make it once
-- per load) and to bind (the PL01/PL02 macros of a fresh warehouse); the rows are the same
-- (test/queries/data-tests-changes.test.ts compares them).
with loaded as (
  select * from stg_fact_budget_line
),

plan_figure as (
  select f.* replace ('du_toan_or_de_xuat' as measure_code)
  from loaded as f
  where f.measure_code = 'du_toan'

  union all

  select f.* replace ('du_toan_or_de_xuat' as measure_code)
  from loaded as f
  anti join loaded as d
    on d.measure_code = 'du_toan'
    and d.province_code = f.province_code
    and d.origin_unit = f.origin_unit
    and d.line_code = f.line_code
    and d.year = f.year
    and d.source_code = f.source_code
  where f.measure_code = 'de_xuat'
),

facts as (
  select * from loaded
  union all
  select * from plan_figure
),

below as (
  select c.ancestor_code as line_code, g.province_code, g.origin_unit, g.year, g.measure_code, g.source_code
  from facts as g
  join dim_budget_line_closure as c on c.descendant_code = g.line_code
  where c.distance > 0
),

counted as (
  select f.*
  from facts as f
  anti join below as b
    on b.line_code = f.line_code
    and b.province_code = f.province_code
    and b.origin_unit = f.origin_unit
    and b.year = f.year
    and b.measure_code = f.measure_code
    and b.source_code = f.source_code
)

select
  c.ancestor_code as line_code,
  f.line_code as fact_line_code,
  f.fact_id,
  f.province_code,
  f.origin_unit,
  f.year,
  f.measure_code,
  f.source_code,
  coalesce(s.is_state_budget, false) as is_state_budget,
  f.amount_trieu_dong
from counted as f
join dim_budget_line_closure as c on c.descendant_code = f.line_code
left join stg_funding_source as s on s.source_code = f.source_code
