"""The read API: a valid OpenAPI 3.1 document, every documented filter working, strict errors, paging, CORS."""

import json

from django.apps import apps
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.base import CatalogueTestCase


def pointer(*parts):
    return "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


class ApiTests(CatalogueTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()

    def setUp(self):
        self.doc = json.loads(self.client.get("/api/v1/openapi.json").content)

    def get(self, path, status=200):
        response = self.client.get(path)
        self.assertEqual(response.status_code, status, f"{path}: {response.content[:500]}")
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        return json.loads(response.content)

    def validator(self, path, status="200"):
        """A JSON Schema validator of one response of the document, its $refs resolved within the document."""
        registry = Registry().with_resource("urn:openapi", Resource(self.doc, specification=DRAFT202012))
        ref = pointer("paths", path, "get", "responses", status, "content", "application/json", "schema")
        return Draft202012Validator({"$ref": f"urn:openapi#/{ref}"}, registry=registry)

    def test_the_document_is_valid_openapi_3_1(self):
        self.assertEqual(self.doc["openapi"], "3.1.0")
        validate(self.doc)
        self.assertEqual(set(self.doc["paths"]), {f"/{n}/" for n in
                         ("places", "partnerships", "delegations", "meetings", "people", "topics", "sources")})

    def example_values(self, parameter):
        """Values to try for a documented parameter, read from the document itself (and the API, for slugs)."""
        schema = parameter["schema"]
        item = schema.get("items", schema)
        if "x-slug-of" in parameter:
            rows = self.get(f"/api/v1/{parameter['x-slug-of']}/?page_size=2")["results"]
            return [rows[0]["slug"]]
        if "x-record" in parameter:  # records without a list of their own, such as organisations
            return [apps.get_model(parameter["x-record"]).objects.order_by("pk").first().slug]
        if "enum" in item:
            return item["enum"][:3]
        if "examples" in item:
            return item["examples"]
        if item["type"] == "integer":
            return [str(item.get("minimum", 1))]
        return ["narvik"]

    def test_every_documented_parameter_works_and_answers_as_documented(self):
        for path, item in self.doc["paths"].items():
            validator = self.validator(path)
            for parameter in item["get"]["parameters"]:
                for value in self.example_values(parameter):
                    url = f"/api/v1{path}?{parameter['name']}={value}"
                    with self.subTest(url=url):
                        body = self.get(url)
                        errors = [e.message for e in validator.iter_errors(body)]
                        self.assertEqual(errors, [], url)

    def test_results_are_the_rows_of_the_page_with_the_same_filters(self):
        query = "topic=health-care&country=CN&sort=title"
        body = self.get(f"/api/v1/meetings/?{query}")
        listed = [row["Slug"] for row in self.csv_rows(f"/meetings/?{query}&format=csv")]
        self.assertEqual([r["slug"] for r in body["results"]], listed)
        self.assertEqual(body["count"], len(listed))
        self.assertEqual(body["filters"], {"topic": ["health-care"], "country": ["CN"]})
        self.assertIn("country", body["facets"])
        row = body["results"][0]
        self.assertIsInstance(row["topics"], list)
        self.assertEqual(row["url"], f"http://testserver/meetings/{row['slug']}/")

    def test_facet_counts_are_those_of_the_page(self):
        page = self.client.get("/meetings/?country=RU")
        body = self.get("/api/v1/meetings/?country=RU")
        for facet, options in page.context["facets"]:
            self.assertEqual(
                [(o.value, o.count, o.added) for o in options],
                [(o["value"], o["count"], o["added"]) for o in body["facets"][facet.param]["options"]],
            )

    def test_pages_link_to_each_other_in_the_body_and_the_link_header(self):
        first = self.client.get("/api/v1/meetings/?page_size=5")
        body = json.loads(first.content)
        self.assertEqual((body["page"], body["prev"]), (1, None))
        self.assertEqual(body["next"], "http://testserver/api/v1/meetings/?page_size=5&page=2")
        self.assertIn(f'<{body["next"]}>; rel="next"', first["Link"])
        seen = [r["slug"] for r in body["results"]]
        while body["next"]:
            body = self.get(body["next"].removeprefix("http://testserver"))
            seen += [r["slug"] for r in body["results"]]
        self.assertEqual(len(seen), len(set(seen)))
        self.assertEqual(len(seen), self.get("/api/v1/meetings/")["count"])
        self.assertIn("rel=\"prev\"", self.client.get("/api/v1/meetings/?page_size=5&page=2")["Link"])

    def test_invalid_requests_are_refused_with_reasons(self):
        for query, param in [
            ("country=XX", "country"),
            ("date_from=yesterday", "date_from"),
            ("topic=no-such-topic", "topic"),
            ("contry=RU", "contry"),
            ("sort=colour", "sort"),
            ("page_size=501", "page_size"),
            ("page_size=0", "page_size"),
            ("page=two", "page"),
        ]:
            with self.subTest(query=query):
                body = self.get(f"/api/v1/meetings/?{query}", status=400)
                self.assertEqual(body["status"], 400)
                self.assertTrue(body["reasons"])
                self.assertIn(param, body["parameters"])
        self.assertEqual(self.get("/api/v1/meetings/?page=99", status=404)["status"], 404)
        self.assertEqual(self.get("/api/v1/nothing/", status=404)["status"], 404)
        self.assertIn("format", self.get("/api/v1/meetings/?format=csv", status=400)["reasons"][0])

    def test_read_only_and_open_to_other_origins(self):
        response = self.client.post("/api/v1/meetings/", {})
        self.assertEqual(response.status_code, 405)
        self.assertEqual(json.loads(response.content)["status"], 405)
        self.assertIn("GET", response["Allow"])
        preflight = self.client.options("/api/v1/meetings/")
        self.assertEqual(preflight.status_code, 204)
        self.assertEqual(preflight["Access-Control-Allow-Origin"], "*")
        self.assertEqual(self.client.head("/api/v1/meetings/").status_code, 200)

    def test_the_list_pages_json_export_is_unchanged(self):
        body = json.loads(b"".join(self.client.get("/meetings/?format=json").streaming_content))
        self.assertIn("Date (ISO interval)", body["columns"])
        self.assertIn("Slug", body["rows"][0])

    def test_the_reference_page_renders_the_document(self):
        page = self.client.get("/api/")
        self.assertEqual(page.status_code, 200)
        for path, item in self.doc["paths"].items():
            self.assertContains(page, f"<code>GET /api/v1{path}</code>")
            for parameter in item["get"]["parameters"]:
                self.assertContains(page, f"<td><code>{parameter['name']}</code></td>")
        self.assertContains(page, 'href="/api/v1/openapi.json"')
        self.assertNotContains(page, "<script")
