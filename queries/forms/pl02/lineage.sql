-- grain: one row per PL02 cell × fact behind it (a sum row lists the facts of its leaves;
-- column 1 lists the facts of every source)
with params as (
  select cast($year as integer) as year_n
),

columns_sources (column_id, source_code) as (
  values
    ('c1', 'NSTW'), ('c1', 'NSDP'), ('c1', 'NGOAI_NSNN'), ('c1', 'NUOC_NGOAI'),
    ('c2', 'NSTW'),
    ('c3', 'NSDP'),
    ('c4', 'NGOAI_NSNN'),
    ('c5', 'NUOC_NGOAI')
)

select distinct
  b.line_code as row_key,
  m.column_id,
  b.fact_id
from fct_budget_line_contribution as b
cross join params as p
join columns_sources as m on m.source_code = b.source_code
where b.year = p.year_n
  and b.measure_code = 'du_toan_or_de_xuat'
