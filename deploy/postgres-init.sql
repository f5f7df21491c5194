create database pipeline;
create database analytics;
