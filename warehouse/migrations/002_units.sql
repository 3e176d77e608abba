-- phuluc warehouse, schema version 2: the 2025 reorganisation.
-- origin_unit: the former province a fact came from, when a merged department's inbox holds it
-- in a folder of that province ("72 Tây Ninh/…"): the unit's id in core/admin/units.json
-- ('72@2008'); '' for the province's own files. Part of every fact's key, so the two former
-- provinces' figures for one line and year are two facts, summed by the forms.
alter table fact_task_approved add column origin_unit varchar default '';
alter table fact_task_funding add column origin_unit varchar default '';
alter table fact_budget_line add column origin_unit varchar default '';
alter table fact_indicator add column origin_unit varchar default '';

-- Levels of management are dated (core/admin/levels.json): cấp huyện ended on 30 June 2025.
alter table task_level add column valid_from date;
alter table task_level add column valid_to date;
update task_level set valid_to = date '2025-06-30' where level_code = 'HUYEN';

-- Provincial units and their successions, dated (rows written from core/admin/units.json by
-- every load: the data file is the one source).
create table admin_unit (
  unit_id    varchar primary key, -- '80@2008' Long An, '80@2025' Tây Ninh (merged)
  code       varchar not null,
  name       varchar not null,
  kind       varchar not null,    -- 'tỉnh' | 'thành phố'
  valid_from date not null,
  valid_to   date                 -- null: still in force
);

create table admin_unit_succession (
  from_unit  varchar not null,
  to_unit    varchar not null,
  succession_date date not null
);
