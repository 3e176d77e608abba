-- grain: one row per PL02 cell: line of the 01–18 hierarchy × column. PL02: the S&T estimate of
-- the plan year N by source; the year-N figure is the du_toan, else the de_xuat, of year N.
-- Column 1 is every source's figure (its facts: those of columns 2–5, from the definition). A sum
-- line's facts are its leaves' (fct_budget_line_contribution).
with params as (
  select cast($year as integer) as year_n
),

columns_sources (column_id, source_code) as (
  values ('c2', 'NSTW'), ('c3', 'NSDP'), ('c4', 'NGOAI_NSNN'), ('c5', 'NUOC_NGOAI')
),

year_n as (
  select b.*
  from fct_budget_line as b
  cross join params as p
  where b.year = p.year_n
    and b.measure_code = 'du_toan_or_de_xuat'
),

amounts as (
  select b.line_code, m.column_id, sum(b.amount_trieu_dong) as amount
  from year_n as b
  join columns_sources as m on m.source_code = b.source_code
  group by b.line_code, m.column_id

  union all

  select line_code, 'c1', sum(amount_trieu_dong)
  from year_n
  group by line_code
),

facts as (
  select b.line_code, m.column_id, list(distinct b.fact_id) as fact_ids
  from fct_budget_line_contribution as b
  cross join params as p
  join columns_sources as m on m.source_code = b.source_code
  where b.year = p.year_n
    and b.measure_code = 'du_toan_or_de_xuat'
  group by b.line_code, m.column_id
),

cells as (
  select
    coalesce(a.line_code, f.line_code) as line_code,
    coalesce(a.column_id, f.column_id) as column_id,
    a.amount,
    f.fact_ids
  from amounts as a
  full join facts as f on f.line_code = a.line_code and f.column_id = a.column_id
)

select
  l.line_code as row_key, l.row_kind as kind, l.line_sort as sort, l.parent_line_code as parent_key,
  c.column_id, c.amount, cast(null as varchar) as text, c.fact_ids
from dim_budget_line as l
join cells as c on c.line_code = l.line_code

union all

-- the label and Mã số of every line (queries/marts/dim_budget_line_text.sql)
select * from dim_budget_line_text
