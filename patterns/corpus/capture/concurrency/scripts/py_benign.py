#!/usr/bin/env python3
"""Benign lines: SQLAlchemy 2.1.9 engine INFO logging of a versioned UPDATE (version_id_col) that succeeds,
and psycopg 3.3.9 notices; against the local PostgreSQL 15.18."""
import logging, sys
from sqlalchemy import create_engine, Column, Integer, String
from sqlalchemy.orm import declarative_base, Session
logging.basicConfig(stream=sys.stdout, format="%(asctime)s %(levelname)s %(name)s %(message)s")
logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
Base = declarative_base()
class Order(Base):
    __tablename__ = "sa_orders"
    id = Column(Integer, primary_key=True); status = Column(String); version_id = Column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version_id}
eng = create_engine("postgresql+psycopg://postgres@/postgres?host=/tmp/tailwatch-capture/concurrency&port=55439")
with Session(eng) as s:
    o = s.get(Order, 1); o.status = "shipped"; s.commit()
