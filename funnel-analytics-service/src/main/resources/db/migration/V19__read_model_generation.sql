-- Which schema holds the read model that answers: absent until the first rebuild (the tables of this schema answer),
-- then the generation that rebuild filled. A rebuild fills a new schema beside the answering one and points here at it
-- in one committed update.
create table read_model_generation (
    id            int primary key,
    active_schema varchar(63) not null
);
