-- phuluc warehouse, schema version 3: amounts and indicator values DECIMAL(38,6).
-- DECIMAL(18,6) held at most 10^12: a national total in đồng (an indicator in its own unit, about
-- 2·10^15 đồng) did not fit, and the unit-jump check's × 1 000 overflowed at 10^9. DECIMAL(38,6)
-- holds 10^32 with đồng kept (0.000001 triệu); the ETL refuses a figure of 10^20 or more, so that
-- sums of a million figures still fit.
alter table fact_task_approved alter column amount type decimal(38,6);
alter table fact_task_funding alter column amount type decimal(38,6);
alter table fact_budget_line alter column amount type decimal(38,6);
alter table fact_indicator alter column value type decimal(38,6);
