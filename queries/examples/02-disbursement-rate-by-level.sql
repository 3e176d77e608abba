-- Disbursement rate by task level for one year: expected outturn / assigned budget of the tasks,
-- state budget only (NSTW + NSĐP; counterpart funds have no assigned budget to compare with).
-- Run: query --db phuluc.duckdb queries/examples/02-disbursement-rate-by-level.sql --param year=2023
with by_level as (
  select t.level_code,
         sum(f.amount) filter (where f.measure_code = 'du_toan') as du_toan,
         sum(f.amount) filter (where f.measure_code = 'uoc_thuc_hien') as uoc_thuc_hien
    from fact_task_funding f
    join task t using (province_code, task_code)
   where f.year = $year::integer
     and f.source_code in (select source_code from funding_source where is_state_budget)
   group by t.level_code
)
select l.name_vi as cap_quan_ly,
       b.du_toan,
       b.uoc_thuc_hien,
       round(100 * b.uoc_thuc_hien / nullif(b.du_toan, 0), 1) as ty_le_pct
  from by_level b
  join task_level l using (level_code)
 order by l.sort;
