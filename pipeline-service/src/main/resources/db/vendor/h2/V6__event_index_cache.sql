-- H2 writes every unsaved page of the store each time an identity sequence hands out the last value of its cache
-- (32 by default): under bulk appends that was most of the append cost. A cache of 1000 makes it rare. On a clean
-- shutdown H2 keeps the next value; after a crash the global index jumps once by up to 1000, which the event
-- processors take as an ordinary gap.
alter table domainevententry alter column globalindex set cache 1000;
