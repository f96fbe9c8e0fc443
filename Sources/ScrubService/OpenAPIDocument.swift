/// The OpenAPI 3.1 document served at `/openapi.json`. It covers the endpoints this
/// service answers today (batch and X12 are not served, so not described); schemas of
/// the claim and the result are outlines of API.md §2–3, not every constraint.
public enum OpenAPIDocument {
    public static let json = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "claimscrub",
    "version": "1.0.0",
    "description": "Scrubs a professional medical claim (JSON) and answers with findings: rule id, JSON Pointer path, likely denial and safe fixes as a JSON Patch."
  },
  "servers": [{ "url": "/" }],
  "security": [{ "apiKey": [] }],
  "paths": {
    "/v1/scrub": {
      "post": {
        "operationId": "scrubClaim",
        "summary": "Scrub one claim",
        "requestBody": { "$ref": "#/components/requestBodies/Claim" },
        "responses": {
          "200": { "$ref": "#/components/responses/ScrubResult" },
          "400": { "$ref": "#/components/responses/InputProblem" },
          "401": { "$ref": "#/components/responses/Problem" },
          "413": { "$ref": "#/components/responses/Problem" },
          "415": { "$ref": "#/components/responses/Problem" },
          "503": { "$ref": "#/components/responses/Problem" }
        }
      }
    },
    "/scrub": {
      "post": {
        "operationId": "scrubClaimAlias",
        "summary": "Scrub one claim (alias of /v1/scrub)",
        "requestBody": { "$ref": "#/components/requestBodies/Claim" },
        "responses": {
          "200": { "$ref": "#/components/responses/ScrubResult" },
          "400": { "$ref": "#/components/responses/InputProblem" },
          "401": { "$ref": "#/components/responses/Problem" },
          "413": { "$ref": "#/components/responses/Problem" },
          "415": { "$ref": "#/components/responses/Problem" },
          "503": { "$ref": "#/components/responses/Problem" }
        }
      }
    },
    "/v1/codes/icd10cm/{code}": {
      "get": {
        "operationId": "lookupDiagnosisCode",
        "summary": "Look an ICD-10-CM code up in the release in force on a date",
        "parameters": [
          { "name": "code", "in": "path", "required": true, "schema": { "type": "string", "examples": ["M54.6", "m546"] } },
          { "name": "date", "in": "query", "required": false, "description": "Date of service; the newest release when absent.", "schema": { "type": "string", "format": "date" } }
        ],
        "responses": {
          "200": { "description": "The code", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/CodeLookup" } } } },
          "400": { "$ref": "#/components/responses/Problem" },
          "401": { "$ref": "#/components/responses/Problem" },
          "404": { "$ref": "#/components/responses/Problem" }
        }
      }
    },
    "/v1/rules": {
      "get": {
        "operationId": "listRules",
        "summary": "The rule catalog: id, category, default severity, description, likely denial",
        "responses": {
          "200": { "description": "The rule catalog", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RuleCatalog" } } } },
          "401": { "$ref": "#/components/responses/Problem" }
        }
      }
    },
    "/healthz": {
      "get": {
        "operationId": "liveness",
        "summary": "Liveness: the process is serving",
        "security": [],
        "responses": { "200": { "$ref": "#/components/responses/Status" } }
      }
    },
    "/readyz": {
      "get": {
        "operationId": "readiness",
        "summary": "Readiness: code sets and rules loaded, not draining",
        "security": [],
        "responses": {
          "200": { "$ref": "#/components/responses/Status" },
          "503": { "$ref": "#/components/responses/Problem" }
        }
      }
    },
    "/metrics": {
      "get": {
        "operationId": "metrics",
        "summary": "Prometheus text exposition (format 0.0.4)",
        "security": [],
        "responses": { "200": { "description": "Metrics", "content": { "text/plain": { "schema": { "type": "string" } } } } }
      }
    },
    "/openapi.json": {
      "get": {
        "operationId": "openapi",
        "summary": "This document",
        "responses": { "200": { "description": "OpenAPI 3.1 document", "content": { "application/json": { "schema": { "type": "object" } } } } }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "apiKey": { "type": "http", "scheme": "bearer", "description": "An API key, when the server has authentication enabled." }
    },
    "requestBodies": {
      "Claim": {
        "required": true,
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Claim" } } }
      }
    },
    "responses": {
      "ScrubResult": {
        "description": "The findings; also when the claim fails",
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ScrubResult" } } }
      },
      "Status": {
        "description": "Status",
        "content": { "application/json": { "schema": { "type": "object", "required": ["status"], "properties": { "status": { "type": "string" } } } } }
      },
      "Problem": {
        "description": "RFC 9457 problem details",
        "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } }
      },
      "InputProblem": {
        "description": "The body is not JSON or has values of the wrong JSON type",
        "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } }
      }
    },
    "schemas": {
      "Problem": {
        "type": "object",
        "required": ["type", "title", "status", "detail"],
        "properties": {
          "type": { "type": "string", "format": "uri" },
          "title": { "type": "string" },
          "status": { "type": "integer" },
          "detail": { "type": "string" },
          "errors": {
            "type": "array",
            "items": {
              "type": "object",
              "required": ["pointer", "detail"],
              "properties": { "pointer": { "type": "string", "description": "RFC 6901 JSON Pointer into the request" }, "detail": { "type": "string" } }
            }
          },
          "byteOffset": { "type": "integer", "description": "For JSON syntax errors: offset of the first bad byte" }
        }
      },
      "CodeLookup": {
        "type": "object",
        "required": ["code", "description", "billable", "parent", "children", "excludes1", "manifestation", "codeSet"],
        "properties": {
          "code": { "type": "string" },
          "description": { "type": "string" },
          "billable": { "type": "boolean" },
          "parent": { "type": ["string", "null"] },
          "children": { "type": "array", "items": { "type": "string" } },
          "excludes1": { "type": "array", "items": { "type": "string" }, "description": "Codes or patterns such as M51.-" },
          "manifestation": { "type": "boolean" },
          "codeSet": { "$ref": "#/components/schemas/CodeSetVersion" }
        }
      },
      "CodeSetVersion": {
        "type": "object",
        "required": ["system", "version"],
        "properties": { "system": { "const": "ICD-10-CM" }, "version": { "type": "string" } }
      },
      "RuleCatalog": {
        "type": "object",
        "required": ["rulesVersion", "rules"],
        "properties": {
          "rulesVersion": { "type": "string" },
          "rules": {
            "type": "array",
            "items": {
              "type": "object",
              "required": ["id", "category", "severity", "description"],
              "properties": {
                "id": { "type": "string", "examples": ["DX_NOT_BILLABLE"] },
                "category": { "enum": ["structure", "validity", "specificity", "sequencing", "pairing", "documentation", "units", "ncci", "modifier"] },
                "severity": { "enum": ["error", "warning", "info"] },
                "weight": { "type": "number" },
                "description": { "type": "string" },
                "likelyDenial": { "type": "object" },
                "alternateDenial": { "type": "object" },
                "reference": { "type": "string" },
                "fixes": { "type": "boolean" },
                "enabled": { "type": "boolean" },
                "implemented": { "type": "boolean" }
              }
            }
          }
        }
      },
      "Claim": {
        "type": "object",
        "description": "A professional claim (API.md section 2). Unknown fields are ignored; missing business data is a finding, not an error.",
        "properties": {
          "claimId": { "type": "string" },
          "payer": { "type": "object", "properties": { "id": { "type": "string" }, "type": { "enum": ["medicare", "medicaid", "commercial", "other"] } } },
          "patient": { "type": "object" },
          "billingProvider": { "type": "object", "properties": { "npi": { "type": "string" } } },
          "renderingProvider": { "type": "object", "properties": { "npi": { "type": "string" } } },
          "placeOfService": { "type": "string" },
          "diagnoses": { "type": "array", "items": { "type": "string" } },
          "serviceLines": { "type": "array", "items": { "type": "object" } },
          "documentation": { "type": "object" }
        }
      },
      "ScrubResult": {
        "type": "object",
        "required": ["status", "denialRisk", "summary", "findings", "fixes", "codeSet", "rulesVersion"],
        "properties": {
          "claimId": { "type": "string" },
          "status": { "enum": ["pass", "review", "fail"] },
          "denialRisk": { "type": "object", "properties": { "score": { "type": "integer", "minimum": 0, "maximum": 100 }, "level": { "enum": ["low", "medium", "high"] } } },
          "summary": { "type": "object", "properties": { "errors": { "type": "integer" }, "warnings": { "type": "integer" }, "info": { "type": "integer" } } },
          "findings": { "type": "array", "items": { "type": "object", "required": ["rule", "category", "severity", "message", "path"] } },
          "fixes": { "type": "array", "description": "RFC 6902 JSON Patch", "items": { "type": "object", "required": ["op", "path"] } },
          "codeSet": { "$ref": "#/components/schemas/CodeSetVersion" },
          "rulesVersion": { "type": "string" }
        }
      }
    }
  }
}
"""#
}
