-- Disbursement rate by task level for one year: expected outturn / assigned budget of the tasks.
-- Run: query --db phuluc.duckdb queries/examples/02-disbursement-rate-by-level.sql --param year=2023
with by_level as (
  select t.level_code,
         sum(f.amount) filter (where f.measure_code = 'du_toan') as du_toan,
         sum(f.amount) filter (where f.measure_code = 'uoc_thuc_hien') as uoc_thuc_hien
    from fact_task_funding f
    join task t using (province_code, task_code)
   where f.year = $year::integer
   group by t.level_code
)
select l.name_vi as cap_quan_ly,
       b.du_toan,
       b.uoc_thuc_hien,
       round(100 * b.uoc_thuc_hien / nullif(b.du_toan, 0), 1) as ty_le_pct
  from by_level b
  join task_level l using (level_code)
 order by l.sort;
