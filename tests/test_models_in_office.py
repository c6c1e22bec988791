"""Delegation members and meeting participants: people taking part in an office they held."""

from django.core import serializers
from django.db import IntegrityError, transaction
from django.test import TestCase

from partnerships.models import (
    Delegation,
    DelegationMember,
    Meeting,
    Office,
    Participant,
    Person,
    Place,
    PlaceLevel,
    Role,
    Side,
)


class InOfficeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        rasht = Place.objects.create(slug="rasht", name="Rasht", level=PlaceLevel.CITY, country="IR")
        astrakhan = Place.objects.create(slug="astrakhan", name="Astrakhan", level=PlaceLevel.CITY, country="RU")
        cls.person = Person.objects.create(slug="igor-babushkin", name="Igor Babushkin")
        cls.office = Office.objects.create(slug="governor", person=cls.person, title="Governor")
        cls.delegation = Delegation.objects.create(slug="visit", title="Visit", origin=astrakhan, destination=rasht)
        cls.meeting = Meeting.objects.create(slug="talks", title="Talks", place=rasht, delegation=cls.delegation)
        cls.member = DelegationMember.objects.create(
            delegation=cls.delegation, person=cls.person, office=cls.office, role=Role.LEADER
        )
        cls.participant = Participant.objects.create(meeting=cls.meeting, person=cls.person, side=Side.GUEST)

    def test_defaults_differ_by_what_was_taken_part_in(self):
        self.assertEqual(DelegationMember(delegation=self.delegation, person=self.person).role, Role.MEMBER)
        self.assertEqual(Participant(meeting=self.meeting, person=self.person).role, Role.PARTICIPANT)

    def test_names_and_links(self):
        self.assertEqual(str(self.member), "Igor Babushkin (leader)")
        self.assertEqual(str(self.participant), "Igor Babushkin (guest, participant)")
        self.assertEqual(self.member.get_absolute_url(), self.delegation.get_absolute_url())
        self.assertEqual(self.participant.get_absolute_url(), self.meeting.get_absolute_url())

    def test_reverse_names(self):
        self.assertEqual(list(self.person.delegation_memberships.all()), [self.member])
        self.assertEqual(list(self.person.participations.all()), [self.participant])
        self.assertEqual(list(self.office.delegation_memberships.all()), [self.member])
        self.assertEqual(list(self.delegation.members.all()), [self.member])
        self.assertEqual(list(self.meeting.participants.all()), [self.participant])

    def test_natural_keys(self):
        self.assertEqual(self.member.natural_key(), ("visit", "igor-babushkin"))
        self.assertEqual(self.participant.natural_key(), ("talks", "igor-babushkin"))
        self.assertEqual(DelegationMember.objects.get_by_natural_key("visit", "igor-babushkin"), self.member)
        self.assertEqual(Participant.objects.get_by_natural_key("talks", "igor-babushkin"), self.participant)

    def test_a_natural_key_round_trip(self):
        text = serializers.serialize(
            "json", [self.member, self.participant], use_natural_foreign_keys=True, use_natural_primary_keys=True
        )
        DelegationMember.objects.all().delete()
        Participant.objects.all().delete()
        for obj in serializers.deserialize("json", text):
            obj.save()
        self.assertEqual(DelegationMember.objects.get().office, self.office)
        self.assertEqual(Participant.objects.get().side, Side.GUEST)

    def test_people_are_listed_after_what_they_took_part_in(self):
        order = serializers.sort_dependencies([(None, [Participant, DelegationMember, Person, Meeting, Delegation])])
        for part, whole in ((Participant, Meeting), (DelegationMember, Delegation)):
            with self.subTest(model=part.__name__):
                self.assertLess(order.index(whole), order.index(part))
                self.assertLess(order.index(Person), order.index(part))

    def test_a_person_takes_part_once(self):
        self.assertEqual([c.name for c in DelegationMember._meta.constraints], ["delegationmember_once"])
        self.assertEqual([c.name for c in Participant._meta.constraints], ["participant_once"])
        with transaction.atomic(), self.assertRaises(IntegrityError):
            DelegationMember.objects.create(delegation=self.delegation, person=self.person)
        with transaction.atomic(), self.assertRaises(IntegrityError):
            Participant.objects.create(meeting=self.meeting, person=self.person, side=Side.HOST)
