-- grain: one row per PL01 cell: line of the 01–18 hierarchy × column. PL01: execution of the S&T
-- state budget in N-2, the first half of N-1 and the expected outturn of N-1, NSTW and NSĐP
-- together. A sum line's facts are its leaves' (fct_budget_line_contribution); the ratios 5 and 7
-- are computed from the definition (form.json), figures and facts.
with params as (
  select cast($year as integer) as year_n
),

columns_measures (column_id, year_offset, measure_code) as (
  values
    ('c1', 2, 'du_toan'),
    ('c2', 2, 'thuc_hien'),
    ('c3', 1, 'du_toan'),
    ('c4', 1, 'thuc_hien_6t'),
    ('c6', 1, 'uoc_thuc_hien')
),

-- each column's year and measure, for the figures and their facts alike
columns_wanted as (
  select p.year_n - m.year_offset as year, m.measure_code, m.column_id
  from columns_measures as m
  cross join params as p
),

amounts as (
  select b.line_code, w.column_id, sum(b.amount_trieu_dong) as amount
  from fct_budget_line as b
  join columns_wanted as w on b.year = w.year and b.measure_code = w.measure_code
  where b.is_state_budget
  group by b.line_code, w.column_id
),

facts as (
  select b.line_code, w.column_id, list(distinct b.fact_id) as fact_ids
  from fct_budget_line_contribution as b
  join columns_wanted as w on b.year = w.year and b.measure_code = w.measure_code
  where b.is_state_budget
  group by b.line_code, w.column_id
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
