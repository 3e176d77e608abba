-- grain: one row per key given both a du_toan and a de_xuat for the same year (task funding or budget line)
-- severity: warning
-- vi: Cùng một khóa có cả dự toán và đề xuất cho cùng năm (phụ lục dùng dự toán)
-- en: The same key has both a du_toan and a de_xuat for the same year (the appendices use the du_toan)
-- (both measures asked for by name: a count(distinct measure_code) per key cost twice the test)
with task_keys as (
  select
    'task ' || task_code || ' ' || year || ' ' || source_code as detail,
    any_value(file_id) filter (where measure_code = 'de_xuat') as file_id
  from stg_fact_task_funding
  where measure_code in ('du_toan', 'de_xuat')
  group by province_code, origin_unit, task_code, year, source_code
  having bool_or(measure_code = 'du_toan') and bool_or(measure_code = 'de_xuat')
),

line_keys as (
  select
    'line ' || line_code || ' ' || year || ' ' || source_code as detail,
    any_value(file_id) filter (where measure_code = 'de_xuat') as file_id
  from stg_fact_budget_line
  where measure_code in ('du_toan', 'de_xuat')
  group by province_code, origin_unit, line_code, year, source_code
  having bool_or(measure_code = 'du_toan') and bool_or(measure_code = 'de_xuat')
)

select file_id, detail from task_keys
union all
select file_id, detail from line_keys
