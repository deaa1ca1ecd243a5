"""Database tables of the catalog and of the founders' advisor requests.

Catalog rows use their YAML id (a slug) as primary key, so the loader can
upsert them and staff can refer to them by a stable name. Texts are stored as
``{"fr": ..., "en": ..., "ar": ...}`` JSON so Arabic arrives without a migration.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import declarative_base, declared_attr, relationship

from bot.database import utcnow

Base = declarative_base()


class Timestamped:
    created_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)


class Sourced(Timestamped):
    """A catalog row: which article it comes from and when a person last checked it."""

    id = Column(String(80), primary_key=True)
    last_verified = Column(Date, nullable=False)
    #: hash of the YAML entry, so a reload touches (and re-dates) only what changed
    content_hash = Column(String(64), nullable=False)

    @declared_attr
    def source_id(cls) -> Column[Any]:  # noqa: N805
        return Column(String(80), ForeignKey("sources.id"), nullable=False)

    @declared_attr
    def source(cls) -> Any:  # noqa: N805
        return relationship("Source", lazy="joined")


class Source(Timestamped, Base):
    __tablename__ = "sources"

    id = Column(String(80), primary_key=True)
    content_hash = Column(String(64), nullable=False)
    file = Column(String(200), nullable=False)
    title = Column(Text)
    publisher = Column(String(200))
    published = Column(String(10), nullable=False)


class Organization(Sourced, Base):
    __tablename__ = "organizations"

    kind = Column(String(40), nullable=False)
    name = Column(JSON, nullable=False)
    description = Column(JSON)


class Site(Sourced, Base):
    __tablename__ = "sites"

    name = Column(JSON, nullable=False)
    city = Column(String(40), nullable=False)
    description = Column(JSON)


class Program(Sourced, Base):
    __tablename__ = "programs"

    type = Column(String(40), nullable=False, index=True)
    name = Column(JSON, nullable=False)
    aliases = Column(JSON, nullable=False, default=list)
    summary = Column(JSON, nullable=False)
    duration = Column(JSON)
    capacity = Column(JSON)
    site_id = Column(String(80), ForeignKey("sites.id"))
    location = Column(JSON)
    benefits = Column(JSON, nullable=False, default=list)
    how_to_apply = Column(JSON)
    deadline = Column(Date)
    status = Column(JSON)

    site = relationship("Site", lazy="joined")
    organizations = relationship(
        "ProgramOrganization", cascade="all, delete-orphan", lazy="selectin", order_by="ProgramOrganization.position"
    )
    tags = relationship("ProgramTag", cascade="all, delete-orphan", lazy="selectin")
    criteria = relationship("Criterion", cascade="all, delete-orphan", lazy="selectin", order_by="Criterion.position")

    def tag_values(self, kind: str) -> list[str]:
        return sorted(tag.value for tag in self.tags if tag.kind == kind)


class ProgramOrganization(Base):
    __tablename__ = "program_organizations"

    program_id = Column(String(80), ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True)
    organization_id = Column(String(80), ForeignKey("organizations.id"), primary_key=True)
    role = Column(String(20), nullable=False)
    position = Column(Integer, nullable=False, default=0)

    organization = relationship("Organization", lazy="joined")


class ProgramTag(Base):
    """A program's focus (sector, stage, city) as rows, so a search is one portable SQL join."""

    __tablename__ = "program_tags"

    program_id = Column(String(80), ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True)
    kind = Column(String(20), primary_key=True)
    value = Column(String(40), primary_key=True, index=True)


class Criterion(Base):
    """One eligibility rule of a program, with the source's words that justify it."""

    __tablename__ = "criteria"

    program_id = Column(String(80), ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True)
    position = Column(Integer, primary_key=True)
    field = Column(String(40), nullable=False)
    operator = Column(String(20), nullable=False)
    value = Column(JSON, nullable=False)
    quote = Column(Text, nullable=False)


class Financing(Sourced, Base):
    __tablename__ = "financing"

    organization_id = Column(String(80), ForeignKey("organizations.id"), nullable=False)
    kind = Column(String(40), nullable=False)
    name = Column(JSON, nullable=False)
    description = Column(JSON, nullable=False)
    program_id = Column(String(80), ForeignKey("programs.id"))
    stages = Column(JSON, nullable=False, default=list)
    sectors = Column(JSON, nullable=False, default=list)

    organization = relationship("Organization", lazy="joined")


class Event(Sourced, Base):
    __tablename__ = "events"

    name = Column(JSON, nullable=False)
    city = Column(String(40))
    starts_on = Column(Date)
    when = Column(JSON)
    description = Column(JSON, nullable=False)
    organizations = Column(JSON, nullable=False, default=list)


class KeyFact(Sourced, Base):
    __tablename__ = "key_facts"

    topic = Column(String(40), nullable=False, index=True)
    text = Column(JSON, nullable=False)
    as_of = Column(String(10), nullable=False)
    organization_id = Column(String(80), ForeignKey("organizations.id"))

    organization = relationship("Organization", lazy="joined")


class AdvisorRequest(Timestamped, Base):
    """A founder asked for a human; the staff inbox reads these."""

    __tablename__ = "advisor_requests"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    name = Column(String(200), nullable=False)
    contact = Column(String(200), nullable=False)
    topic = Column(Text, nullable=False)
    language = Column(String(5), nullable=False, default="fr")
    status = Column(String(20), nullable=False, default="new")


class EligibilityCheck(Base):
    """One verdict Sanad gave a founder for one program; the console's analytics count them."""

    __tablename__ = "eligibility_checks"

    id = Column(Integer, primary_key=True, autoincrement=True)
    conversation_id = Column(String(255), nullable=False, index=True)
    program_id = Column(String(80), nullable=False)
    status = Column(String(20), nullable=False)
    checked_at = Column(DateTime, nullable=False, default=utcnow, index=True)
