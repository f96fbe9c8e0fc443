// Generated from docs/openapi.yaml by scripts/generate-openapi. Do not edit:
// OpenAPIDocumentTests fails when this differs from the YAML.

/// The OpenAPI 3.1 document served at `/openapi.json`.
public enum OpenAPIDocument {
    public static let json = ##"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "claimscrub",
    "version": "1.0.0",
    "summary": "Claim scrubbing for professional medical claims.",
    "description": "A billing system POSTs a professional claim (CMS-1500 / 837P data as JSON) and gets back\nstructured findings: rule id, JSON Pointer path, likely denial (CARC/RARC) and the safe\nfixes as an RFC 6902 JSON Patch.\n\nErrors that are not claim findings are RFC 9457 problem details\n(`application/problem+json`). A problem body never echoes patient data.\n\nAuthentication is off by default. When the operator turns it on (`auth.enabled`), every\npath but `auth.exemptPaths` (by default `/healthz`, `/readyz`, `/metrics`) needs\n`Authorization: Bearer <key>`.\n",
    "license": {
      "name": "Proprietary"
    }
  },
  "servers": [
    {
      "url": "http://127.0.0.1:8080",
      "description": "The default `claimscrub serve`"
    }
  ],
  "security": [
    {},
    {
      "apiKey": []
    }
  ],
  "tags": [
    {
      "name": "scrub",
      "description": "Scrubbing claims"
    },
    {
      "name": "reference",
      "description": "Code sets and the rule catalog"
    },
    {
      "name": "operations",
      "description": "Health, readiness, metrics and this document"
    }
  ],
  "paths": {
    "/v1/scrub": {
      "post": {
        "operationId": "scrubClaim",
        "tags": [
          "scrub"
        ],
        "summary": "Scrub one claim",
        "description": "Answers 200 with a ScrubResult also when the claim fails: missing business data\n(no diagnoses, no service date …) is a finding, not an error. Only a body that is\nnot JSON, or has a value of the wrong JSON type, is a 400.\n\nAn X12 837P interchange (`application/edi-x12`) is answered with\n`{\"results\": [ScrubResult, …]}`, one per claim (CLM) in interchange order, each\nfinding with the `x12` segment it points at; a structurally unusable interchange is\na 400 (`invalid-x12`).\n\nBodies may be sent with `Content-Encoding: gzip` or `deflate`; answers are gzipped\nwhen `Accept-Encoding` allows and they are large enough.\n",
        "requestBody": {
          "$ref": "#/components/requestBodies/Claim"
        },
        "responses": {
          "200": {
            "$ref": "#/components/responses/ScrubResult"
          },
          "400": {
            "$ref": "#/components/responses/InputProblem"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "408": {
            "$ref": "#/components/responses/RequestTimeout"
          },
          "411": {
            "$ref": "#/components/responses/LengthRequired"
          },
          "413": {
            "$ref": "#/components/responses/ContentTooLarge"
          },
          "414": {
            "$ref": "#/components/responses/URITooLong"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "431": {
            "$ref": "#/components/responses/HeaderFieldsTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          },
          "505": {
            "$ref": "#/components/responses/VersionNotSupported"
          }
        }
      }
    },
    "/scrub": {
      "post": {
        "operationId": "scrubClaimAlias",
        "tags": [
          "scrub"
        ],
        "summary": "Scrub one claim (alias of POST /v1/scrub)",
        "requestBody": {
          "$ref": "#/components/requestBodies/Claim"
        },
        "responses": {
          "200": {
            "$ref": "#/components/responses/ScrubResult"
          },
          "400": {
            "$ref": "#/components/responses/InputProblem"
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "408": {
            "$ref": "#/components/responses/RequestTimeout"
          },
          "411": {
            "$ref": "#/components/responses/LengthRequired"
          },
          "413": {
            "$ref": "#/components/responses/ContentTooLarge"
          },
          "414": {
            "$ref": "#/components/responses/URITooLong"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "431": {
            "$ref": "#/components/responses/HeaderFieldsTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          },
          "505": {
            "$ref": "#/components/responses/VersionNotSupported"
          }
        }
      }
    },
    "/v1/scrub/batch": {
      "post": {
        "operationId": "scrubBatch",
        "tags": [
          "scrub"
        ],
        "summary": "Scrub many claims (NDJSON), streamed back in input order",
        "description": "One claim per line (`application/x-ndjson` or `application/jsonl`; the body may be\ngzip or deflate with `Content-Encoding`). The body is read as it arrives and the answer\nis streamed back with chunked encoding, one line per non-blank input line, in input\norder: `{\"line\": n, \"result\": ScrubResult}`, or `{\"line\": n, \"error\": problem}` for a\nline that is not a claim (the problem names pointers, never the line's values). Blank\nlines count for `line` but get no output line. A bad line never stops the others.\nAt most `maxStreamingRequests` batches run at once (503 beyond) and a batch body may\nbe up to `maxStreamingBodyBytes`.\n",
        "requestBody": {
          "required": true,
          "content": {
            "application/x-ndjson": {
              "schema": {
                "description": "NDJSON text, one claim (a Claim object) per line. Any text is accepted; each line is judged alone."
              },
              "example": "{\"claimId\":\"B-1\",\"diagnoses\":[\"M54.6\"],\"billingProvider\":{\"npi\":\"1234567893\"},\"serviceLines\":[{\"procedureCode\":\"97110\",\"modifiers\":[\"GP\"],\"units\":2,\"serviceDate\":\"2026-05-04\",\"diagnosisPointers\":[1],\"minutes\":30}]}\n{\"claimId\":\"B-2\",\"diagnoses\":[\"M54.5\"],\"serviceLines\":[{\"procedureCode\":\"97140\",\"units\":\"two\"}]}\n"
            },
            "application/jsonl": {
              "schema": {
                "description": "The same as application/x-ndjson."
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "One JSON object per non-blank input line, in input order (chunked).",
            "content": {
              "application/x-ndjson": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "408": {
            "$ref": "#/components/responses/RequestTimeout"
          },
          "411": {
            "$ref": "#/components/responses/LengthRequired"
          },
          "413": {
            "$ref": "#/components/responses/ContentTooLarge"
          },
          "414": {
            "$ref": "#/components/responses/URITooLong"
          },
          "415": {
            "$ref": "#/components/responses/UnsupportedMediaType"
          },
          "431": {
            "$ref": "#/components/responses/HeaderFieldsTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          },
          "505": {
            "$ref": "#/components/responses/VersionNotSupported"
          }
        }
      }
    },
    "/v1/codes/icd10cm/{code}": {
      "get": {
        "operationId": "lookupDiagnosisCode",
        "tags": [
          "reference"
        ],
        "summary": "Look an ICD-10-CM code up in the release in force on a date",
        "parameters": [
          {
            "name": "code",
            "in": "path",
            "required": true,
            "description": "With or without the dot, any case (`M54.6`, `m546`). Anything else is a 400.",
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z][A-Za-z0-9]{2}(\\.?[A-Za-z0-9]{1,4})?$"
            },
            "examples": {
              "billable": {
                "value": "M54.6"
              },
              "header": {
                "value": "M54.5"
              }
            }
          },
          {
            "name": "date",
            "in": "query",
            "required": false,
            "description": "A date of service (`YYYY-MM-DD`); without it, the newest loaded release.",
            "schema": {
              "type": "string",
              "format": "date"
            },
            "example": "2026-05-04"
          }
        ],
        "responses": {
          "200": {
            "description": "The code as the release in force on the date has it.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CodeLookup"
                },
                "examples": {
                  "header": {
                    "summary": "M54.5 is a header since 2021-10-01",
                    "value": {
                      "code": "M54.5",
                      "description": "Low back pain",
                      "billable": false,
                      "parent": "M54",
                      "children": [
                        "M54.50",
                        "M54.51",
                        "M54.59"
                      ],
                      "excludes1": [
                        "M51.360",
                        "M51.370",
                        "S39.012-",
                        "M51.2-",
                        "M54.4-",
                        "F45.41"
                      ],
                      "manifestation": false,
                      "codeSet": {
                        "system": "ICD-10-CM",
                        "version": "2026-04-01"
                      }
                    }
                  }
                }
              }
            }
          },
          "400": {
            "description": "A code that cannot be an ICD-10-CM code, or a date that is not a real date.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                },
                "example": {
                  "type": "https://claimscrub.dev/problems/bad-date",
                  "title": "Malformed date",
                  "status": 400,
                  "detail": "`date` must be a real calendar date written YYYY-MM-DD."
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "404": {
            "description": "The code is not in the release in force on the date, or no loaded release covers the date.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                },
                "example": {
                  "type": "https://claimscrub.dev/problems/unknown-code",
                  "title": "Unknown code",
                  "status": 404,
                  "detail": "Z99.999 is not a code of ICD-10-CM release 2026-04-01."
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "408": {
            "$ref": "#/components/responses/RequestTimeout"
          },
          "414": {
            "$ref": "#/components/responses/URITooLong"
          },
          "431": {
            "$ref": "#/components/responses/HeaderFieldsTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          },
          "505": {
            "$ref": "#/components/responses/VersionNotSupported"
          }
        }
      }
    },
    "/v1/rules": {
      "get": {
        "operationId": "listRules",
        "tags": [
          "reference"
        ],
        "summary": "The rule catalog",
        "description": "Every rule of the loaded configuration (default payer profile) with its id, category, default severity, weight, description and likely denial.",
        "responses": {
          "200": {
            "description": "The rule catalog",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RuleCatalog"
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "408": {
            "$ref": "#/components/responses/RequestTimeout"
          },
          "414": {
            "$ref": "#/components/responses/URITooLong"
          },
          "431": {
            "$ref": "#/components/responses/HeaderFieldsTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          },
          "505": {
            "$ref": "#/components/responses/VersionNotSupported"
          }
        }
      }
    },
    "/healthz": {
      "get": {
        "operationId": "liveness",
        "tags": [
          "operations"
        ],
        "summary": "Liveness: the process is serving",
        "security": [],
        "responses": {
          "200": {
            "description": "Alive",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Status"
                },
                "example": {
                  "status": "ok"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "408": {
            "$ref": "#/components/responses/RequestTimeout"
          },
          "414": {
            "$ref": "#/components/responses/URITooLong"
          },
          "431": {
            "$ref": "#/components/responses/HeaderFieldsTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          },
          "505": {
            "$ref": "#/components/responses/VersionNotSupported"
          }
        }
      }
    },
    "/readyz": {
      "get": {
        "operationId": "readiness",
        "tags": [
          "operations"
        ],
        "summary": "Readiness: code sets and rules loaded, not draining",
        "security": [],
        "responses": {
          "200": {
            "description": "Ready to scrub",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Status"
                },
                "example": {
                  "status": "ready"
                }
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "408": {
            "$ref": "#/components/responses/RequestTimeout"
          },
          "414": {
            "$ref": "#/components/responses/URITooLong"
          },
          "431": {
            "$ref": "#/components/responses/HeaderFieldsTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          },
          "505": {
            "$ref": "#/components/responses/VersionNotSupported"
          }
        }
      }
    },
    "/metrics": {
      "get": {
        "operationId": "metrics",
        "tags": [
          "operations"
        ],
        "summary": "Prometheus text exposition (format 0.0.4)",
        "security": [],
        "responses": {
          "200": {
            "description": "Counters and histograms of requests, claims, findings and connections.",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                },
                "example": "# HELP claimscrub_build_info Build and data versions; always 1.\n# TYPE claimscrub_build_info gauge\nclaimscrub_build_info{version=\"0.1.0\",rules_version=\"2026.11.0\",codeset=\"2026-04-01\"} 1\n"
              }
            }
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "408": {
            "$ref": "#/components/responses/RequestTimeout"
          },
          "414": {
            "$ref": "#/components/responses/URITooLong"
          },
          "431": {
            "$ref": "#/components/responses/HeaderFieldsTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          },
          "505": {
            "$ref": "#/components/responses/VersionNotSupported"
          }
        }
      }
    },
    "/openapi.json": {
      "get": {
        "operationId": "openapi",
        "tags": [
          "operations"
        ],
        "summary": "This document, as JSON",
        "responses": {
          "200": {
            "description": "The OpenAPI 3.1 document",
            "headers": {
              "X-Request-Id": {
                "$ref": "#/components/headers/X-Request-Id"
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "openapi",
                    "info",
                    "paths"
                  ]
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Unauthorized"
          },
          "405": {
            "$ref": "#/components/responses/MethodNotAllowed"
          },
          "408": {
            "$ref": "#/components/responses/RequestTimeout"
          },
          "414": {
            "$ref": "#/components/responses/URITooLong"
          },
          "431": {
            "$ref": "#/components/responses/HeaderFieldsTooLarge"
          },
          "503": {
            "$ref": "#/components/responses/Unavailable"
          },
          "505": {
            "$ref": "#/components/responses/VersionNotSupported"
          }
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "apiKey": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API key (`claimscrub apikey hash` makes its keys-file line). Needed only when the server has `auth.enabled`."
      }
    },
    "headers": {
      "X-Request-Id": {
        "description": "The client's `X-Request-Id` when it is 1–128 of `[A-Za-z0-9._-]`, else a fresh 32-hex-digit id. Also in the request's log line.",
        "schema": {
          "type": "string",
          "pattern": "^[A-Za-z0-9._-]{1,128}$"
        }
      }
    },
    "requestBodies": {
      "Claim": {
        "required": true,
        "description": "One claim as `application/json` (charset utf-8 if any), or an X12 837P interchange as `application/edi-x12`.",
        "content": {
          "application/edi-x12": {
            "schema": {
              "type": "string",
              "description": "An ASC X12 005010X222A1 (837P) interchange, ISA to IEA; the ISA names its own delimiters."
            },
            "examples": {
              "multi-claim": {
                "summary": "Two professional claims in one interchange (synthetic data)",
                "value": "ISA*00*          *00*          *ZZ*CLAIMSCRUBSUB  *ZZ*MEDICAREJL     *260303*1015*^*00501*000000101*0*T*:~\nGS*HC*CLAIMSCRUBSUB*MEDICAREJL*20260303*1015*101*X*005010X222A1~\nST*837*0001*005010X222A1~\nBHT*0019*00*BATCH0001*20260303*1015*CH~\nNM1*41*2*SPRINGFIELD SPINE AND THERAPY*****46*CLAIMSCRUBSUB~\nPER*IC*BILLING OFFICE*TE*2175550100~\nNM1*40*2*MEDICARE JL*****46*MEDICAREJL~\nHL*1**20*1~\nPRV*BI*PXC*225100000X~\nNM1*85*2*SPRINGFIELD SPINE AND THERAPY*****XX*1234567893~\nN3*100 MAIN STREET~\nN4*SPRINGFIELD*IL*627010100~\nREF*EI*371234567~\nHL*2*1*22*0~\nSBR*P*18*******MB~\nNM1*IL*1*DOE*JANE****MI*1EG4TE5MK73~\nN3*12 ELM STREET~\nN4*SPRINGFIELD*IL*62702~\nDMG*D8*19610412*F~\nNM1*PR*2*MEDICARE JL*****PI*MEDICARE-JL~\nCLM*CLM-2026-000123*210***11:B:1*Y*A*Y*Y~\nDTP*431*D8*20260210~\nNTE*ADD*Pain between the shoulder blades for 3 weeks.~\nHI*ABK:M546*ABF:M545~\nNM1*82*1*SMITH*JOHN****XX*1245319599~\nPRV*PE*PXC*225100000X~\nLX*1~\nSV1*HC:97110:GP*120*UN*2***1~\nDTP*472*D8*20260302~\nLX*2~\nSV1*HC:97140:GP:59*90*UN*1***1:2~\nDTP*472*D8*20260302~\nCLM*CLM-2026-000124*95***11:B:1*Y*A*Y*Y~\nHI*ABK:M5450*ABF:M5450*ABF:S301XXA~\nLX*1~\nSV1*HC:99213:25*95*UN*1***1:3~\nDTP*472*D8*20260305~\nNM1*82*1*SMITH*JOHN****XX*1245319590~\nHL*3*1*22*1~\nSBR*P********CI~\nNM1*IL*1*ROE*RICHARD****MI*W123456789~\nNM1*PR*2*ACME HEALTH*****PI*ACME01~\nHL*4*3*23*0~\nPAT*19~\nNM1*QC*1*ROE*ANNA~\nN3*40 OAK AVENUE~\nN4*SPRINGFIELD*IL*62704~\nDMG*D8*20100514*F~\nCLM*CLM-2026-000125*300***11:B:1*Y*A*Y*Y~\nNTE*ADD*Lumbar pain after a fall, worse with sitting.~\nHI*ABK:M4126*ABF:M5450~\nLX*1~\nSV1*HC:97110:GP:KX*150*UN*5***2:1~\nDTP*472*RD8*20260302-20260306~\nLX*2~\nSV1*HC:97140*150*UN*0***3~\nDTP*472*D8*20260306~\nSE*56*0001~\nGE*1*101~\nIEA*1*000000101~\n"
              }
            }
          },
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Claim"
            },
            "examples": {
              "clean-thoracic-therapy": {
                "summary": "documented thoracic pain, timed code with GP and minutes that support 2 units",
                "value": {
                  "claimId": "EX-001",
                  "payer": {
                    "id": "MEDICARE-JL",
                    "type": "medicare"
                  },
                  "patient": {
                    "birthDate": "1961-04-12",
                    "sex": "F"
                  },
                  "billingProvider": {
                    "npi": "1234567893"
                  },
                  "placeOfService": "11",
                  "diagnoses": [
                    "M54.6"
                  ],
                  "serviceLines": [
                    {
                      "procedureCode": "97110",
                      "modifiers": [
                        "GP"
                      ],
                      "units": 2,
                      "chargeAmount": 90,
                      "serviceDate": "2026-05-04",
                      "diagnosisPointers": [
                        1
                      ],
                      "minutes": 30
                    }
                  ],
                  "documentation": {
                    "onsetDate": "2026-04-20",
                    "severity": "6/10, worse with sitting",
                    "progression": "stable",
                    "painRegions": [
                      "thoracic"
                    ],
                    "examFindings": [
                      "paraspinal tenderness T4-T8",
                      "reduced thoracic rotation"
                    ],
                    "neurologicalDeficits": false
                  }
                }
              },
              "low-back-header-code": {
                "summary": "M54.5 is a header since 2021-10-01; the suggestion names M54.50, M54.51, M54.59",
                "value": {
                  "claimId": "EX-003",
                  "payer": {
                    "id": "MEDICARE-JL",
                    "type": "medicare"
                  },
                  "patient": {
                    "birthDate": "1961-04-12",
                    "sex": "F"
                  },
                  "billingProvider": {
                    "npi": "1234567893"
                  },
                  "placeOfService": "11",
                  "diagnoses": [
                    "M54.5"
                  ],
                  "serviceLines": [
                    {
                      "procedureCode": "97140",
                      "modifiers": [
                        "GP"
                      ],
                      "units": 1,
                      "serviceDate": "2026-03-02",
                      "diagnosisPointers": [
                        1
                      ],
                      "minutes": 12
                    }
                  ],
                  "documentation": {
                    "onsetDate": "2026-04-20",
                    "severity": "6/10, worse with sitting",
                    "progression": "stable",
                    "painRegions": [
                      "lumbar"
                    ],
                    "examFindings": [
                      "paraspinal tenderness T4-T8",
                      "reduced thoracic rotation"
                    ],
                    "neurologicalDeficits": false
                  }
                }
              },
              "malformed-units-type": {
                "summary": "answered 400: units sent as a string",
                "value": {
                  "claimId": "EX-008",
                  "diagnoses": [
                    "M54.6"
                  ],
                  "serviceLines": [
                    {
                      "procedureCode": "97110",
                      "units": "two",
                      "serviceDate": "2026-05-04",
                      "diagnosisPointers": [
                        1
                      ]
                    }
                  ]
                }
              },
              "office-visit-and-therapy-same-day": {
                "summary": "E/M with a procedure on the same date and no modifier 25; a Medicare therapy line without GP",
                "value": {
                  "claimId": "EX-007",
                  "payer": {
                    "id": "MEDICARE-JL",
                    "type": "medicare"
                  },
                  "patient": {
                    "birthDate": "1961-04-12",
                    "sex": "F"
                  },
                  "billingProvider": {
                    "npi": "1234567893"
                  },
                  "placeOfService": "11",
                  "diagnoses": [
                    "M54.6"
                  ],
                  "serviceLines": [
                    {
                      "procedureCode": "99213",
                      "units": 1,
                      "serviceDate": "2026-05-04",
                      "diagnosisPointers": [
                        1
                      ]
                    },
                    {
                      "procedureCode": "97140",
                      "units": 1,
                      "serviceDate": "2026-05-04",
                      "diagnosisPointers": [
                        1
                      ],
                      "minutes": 15
                    }
                  ],
                  "documentation": {
                    "onsetDate": "2026-04-20",
                    "severity": "6/10, worse with sitting",
                    "progression": "stable",
                    "painRegions": [
                      "thoracic"
                    ],
                    "examFindings": [
                      "paraspinal tenderness T4-T8",
                      "reduced thoracic rotation"
                    ],
                    "neurologicalDeficits": false
                  }
                }
              },
              "pain-coded-before-scoliosis": {
                "summary": "the fix moves M41.24 first and rewrites the pointers so that they name the same codes",
                "value": {
                  "claimId": "EX-006",
                  "payer": {
                    "id": "MEDICARE-JL",
                    "type": "medicare"
                  },
                  "patient": {
                    "birthDate": "1961-04-12",
                    "sex": "F"
                  },
                  "billingProvider": {
                    "npi": "1234567893"
                  },
                  "placeOfService": "11",
                  "diagnoses": [
                    "M54.6",
                    "M41.24"
                  ],
                  "serviceLines": [
                    {
                      "procedureCode": "97110",
                      "modifiers": [
                        "GP"
                      ],
                      "units": 2,
                      "serviceDate": "2026-05-04",
                      "diagnosisPointers": [
                        1,
                        2
                      ],
                      "minutes": 32
                    }
                  ],
                  "documentation": {
                    "onsetDate": "2026-04-20",
                    "severity": "6/10, worse with sitting",
                    "progression": "stable",
                    "painRegions": [
                      "thoracic"
                    ],
                    "examFindings": [
                      "paraspinal tenderness T4-T8",
                      "reduced thoracic rotation"
                    ],
                    "neurologicalDeficits": false
                  }
                }
              },
              "thoracic-mri-for-low-back-pain": {
                "summary": "a thoracic MRI pointed only to a lumbar diagnosis, and no imaging justification",
                "value": {
                  "claimId": "EX-005",
                  "payer": {
                    "id": "MEDICARE-JL",
                    "type": "medicare"
                  },
                  "patient": {
                    "birthDate": "1961-04-12",
                    "sex": "F"
                  },
                  "billingProvider": {
                    "npi": "1234567893"
                  },
                  "placeOfService": "11",
                  "diagnoses": [
                    "M54.50"
                  ],
                  "serviceLines": [
                    {
                      "procedureCode": "72146",
                      "units": 1,
                      "serviceDate": "2026-05-04",
                      "diagnosisPointers": [
                        1
                      ]
                    }
                  ],
                  "documentation": {
                    "onsetDate": "2026-04-20",
                    "severity": "6/10, worse with sitting",
                    "progression": "stable",
                    "painRegions": [
                      "lumbar"
                    ],
                    "examFindings": [
                      "paraspinal tenderness T4-T8",
                      "reduced thoracic rotation"
                    ],
                    "neurologicalDeficits": false
                  }
                }
              },
              "timed-units-exceed-minutes": {
                "summary": "20 timed minutes support 1 unit under the Medicare method",
                "value": {
                  "claimId": "EX-004",
                  "payer": {
                    "id": "MEDICARE-JL",
                    "type": "medicare"
                  },
                  "patient": {
                    "birthDate": "1961-04-12",
                    "sex": "F"
                  },
                  "billingProvider": {
                    "npi": "1234567893"
                  },
                  "placeOfService": "11",
                  "diagnoses": [
                    "M54.6"
                  ],
                  "serviceLines": [
                    {
                      "procedureCode": "97110",
                      "modifiers": [
                        "GP"
                      ],
                      "units": 3,
                      "serviceDate": "2026-05-04",
                      "diagnosisPointers": [
                        1
                      ],
                      "minutes": 20
                    }
                  ],
                  "documentation": {
                    "onsetDate": "2026-04-20",
                    "severity": "6/10, worse with sitting",
                    "progression": "stable",
                    "painRegions": [
                      "thoracic"
                    ],
                    "examFindings": [
                      "paraspinal tenderness T4-T8",
                      "reduced thoracic rotation"
                    ],
                    "neurologicalDeficits": false
                  }
                }
              },
              "unspecified-dorsalgia-documented-thoracic": {
                "summary": "the phrase 'between the shoulder blades' places the pain in the thoracic spine",
                "value": {
                  "claimId": "EX-002",
                  "payer": {
                    "id": "MEDICARE-JL",
                    "type": "medicare"
                  },
                  "patient": {
                    "birthDate": "1961-04-12",
                    "sex": "F"
                  },
                  "billingProvider": {
                    "npi": "1234567893"
                  },
                  "placeOfService": "11",
                  "diagnoses": [
                    "M54.9"
                  ],
                  "serviceLines": [
                    {
                      "procedureCode": "97110",
                      "modifiers": [
                        "GP"
                      ],
                      "units": 1,
                      "serviceDate": "2026-05-04",
                      "diagnosisPointers": [
                        1
                      ],
                      "minutes": 15
                    }
                  ],
                  "documentation": {
                    "onsetDate": "2026-04-20",
                    "severity": "6/10, worse with sitting",
                    "progression": "stable",
                    "examFindings": [
                      "paraspinal tenderness T4-T8",
                      "reduced thoracic rotation"
                    ],
                    "neurologicalDeficits": false,
                    "notes": "Aching pain between the shoulder blades for two weeks."
                  }
                }
              }
            }
          }
        }
      }
    },
    "responses": {
      "ScrubResult": {
        "description": "The findings; also when the claim fails. `Cache-Control: no-store`. For an X12 body, one result per claim under `results`.",
        "headers": {
          "X-Request-Id": {
            "$ref": "#/components/headers/X-Request-Id"
          },
          "Cache-Control": {
            "schema": {
              "type": "string",
              "const": "no-store"
            }
          }
        },
        "content": {
          "application/json": {
            "schema": {
              "oneOf": [
                {
                  "$ref": "#/components/schemas/ScrubResult"
                },
                {
                  "$ref": "#/components/schemas/X12Results"
                }
              ]
            },
            "examples": {
              "x12-multi-claim": {
                "summary": "The results for the multi-claim X12 interchange",
                "value": {
                  "results": [
                    {
                      "claimId": "CLM-2026-000123",
                      "status": "fail",
                      "denialRisk": {
                        "score": 80,
                        "level": "high"
                      },
                      "summary": {
                        "errors": 1,
                        "warnings": 0,
                        "info": 0
                      },
                      "findings": [
                        {
                          "rule": "DX_NOT_BILLABLE",
                          "category": "validity",
                          "severity": "error",
                          "message": "M54.5 (Low back pain) is a header code, not valid for submission in ICD-10-CM 2026-04-01.",
                          "path": "/diagnoses/1",
                          "codes": [
                            "M54.5"
                          ],
                          "suggestion": "Report one of M54.50, M54.51 or M54.59.",
                          "likelyDenial": {
                            "group": "CO",
                            "carc": "16",
                            "rarc": [
                              "M81"
                            ]
                          },
                          "reference": "ICD-10-CM Official Guidelines I.B.1-2 (code to the highest specificity)",
                          "x12": {
                            "segment": "HI",
                            "position": 24,
                            "element": "HI02"
                          }
                        }
                      ],
                      "fixes": [],
                      "codeSet": {
                        "system": "ICD-10-CM",
                        "version": "2026-04-01"
                      },
                      "rulesVersion": "2026.11.0+518e75a"
                    },
                    {
                      "claimId": "CLM-2026-000124",
                      "status": "fail",
                      "denialRisk": {
                        "score": 96,
                        "level": "high"
                      },
                      "summary": {
                        "errors": 2,
                        "warnings": 1,
                        "info": 0
                      },
                      "findings": [
                        {
                          "rule": "DX_NOT_VALID_FOR_DOS",
                          "category": "validity",
                          "severity": "error",
                          "message": "S30.1XXA (Contusion of abdominal wall, initial encounter) is not valid on the date of service: ICD-10-CM 2026-04-01, the release in force, does not contain it; it was valid through 2025-09-30 (release 2024-10-01).",
                          "path": "/diagnoses/2",
                          "codes": [
                            "S30.1XXA"
                          ],
                          "suggestion": "Report the code that ICD-10-CM 2026-04-01 uses for this condition.",
                          "likelyDenial": {
                            "group": "CO",
                            "carc": "146",
                            "rarc": []
                          },
                          "reference": "ICD-10-CM annual update: codes are valid for dates of service in their fiscal year",
                          "x12": {
                            "segment": "HI",
                            "position": 34,
                            "element": "HI03"
                          }
                        },
                        {
                          "rule": "CLAIM_NPI",
                          "category": "structure",
                          "severity": "error",
                          "message": "The rendering provider's NPI fails the check-digit test; it is mistyped.",
                          "path": "/renderingProvider/npi",
                          "codes": [],
                          "suggestion": "Re-enter the NPI from NPPES.",
                          "likelyDenial": {
                            "group": "CO",
                            "carc": "16",
                            "rarc": []
                          },
                          "reference": "45 CFR 162.406; NPI check digit (Luhn, prefix 80840)",
                          "x12": {
                            "segment": "NM1",
                            "position": 38,
                            "element": "NM109"
                          }
                        },
                        {
                          "rule": "CLAIM_DX_DUPLICATE",
                          "category": "structure",
                          "severity": "warning",
                          "message": "Diagnosis 2 repeats diagnosis 1 (M54.50).",
                          "path": "/diagnoses/1",
                          "codes": [
                            "M54.50"
                          ],
                          "suggestion": "List each diagnosis once and point the lines to diagnosis 1.",
                          "likelyDenial": {
                            "group": "CO",
                            "carc": "16",
                            "rarc": [
                              "M76"
                            ]
                          },
                          "reference": "CMS-1500 item 21",
                          "x12": {
                            "segment": "HI",
                            "position": 34,
                            "element": "HI02"
                          }
                        }
                      ],
                      "fixes": [],
                      "codeSet": {
                        "system": "ICD-10-CM",
                        "version": "2026-04-01"
                      },
                      "rulesVersion": "2026.11.0+518e75a"
                    },
                    {
                      "claimId": "CLM-2026-000125",
                      "status": "fail",
                      "denialRisk": {
                        "score": 100,
                        "level": "high"
                      },
                      "summary": {
                        "errors": 4,
                        "warnings": 0,
                        "info": 0
                      },
                      "findings": [
                        {
                          "rule": "CLAIM_DATE",
                          "category": "structure",
                          "severity": "error",
                          "message": "Service line 1 was provided 268 days ago, past the commercial timely-filing limit of 180 days.",
                          "path": "/serviceLines/0/serviceDateEnd",
                          "codes": [],
                          "suggestion": "Claims past the filing limit are denied unless an exception applies; check for one before submitting.",
                          "likelyDenial": {
                            "group": "CO",
                            "carc": "29",
                            "rarc": []
                          },
                          "reference": "CMS Claims Processing Manual ch. 1 §70 (timely filing)",
                          "x12": {
                            "segment": "DTP",
                            "position": 54,
                            "element": "DTP03"
                          }
                        },
                        {
                          "rule": "CLAIM_DX_POINTER",
                          "category": "structure",
                          "severity": "error",
                          "message": "Service line 2 points to diagnosis 3, but the claim lists 2 diagnoses.",
                          "path": "/serviceLines/1/diagnosisPointers/0",
                          "codes": [
                            "97140"
                          ],
                          "suggestion": "Use a pointer from 1 to 2.",
                          "likelyDenial": {
                            "group": "CO",
                            "carc": "16",
                            "rarc": [
                              "M76"
                            ]
                          },
                          "reference": "CMS-1500 item 24E; 837P SV107",
                          "x12": {
                            "segment": "SV1",
                            "position": 56,
                            "element": "SV107-1"
                          }
                        },
                        {
                          "rule": "CLAIM_DATE",
                          "category": "structure",
                          "severity": "error",
                          "message": "Service line 2 was provided 268 days ago, past the commercial timely-filing limit of 180 days.",
                          "path": "/serviceLines/1/serviceDate",
                          "codes": [],
                          "suggestion": "Claims past the filing limit are denied unless an exception applies; check for one before submitting.",
                          "likelyDenial": {
                            "group": "CO",
                            "carc": "29",
                            "rarc": []
                          },
                          "reference": "CMS Claims Processing Manual ch. 1 §70 (timely filing)",
                          "x12": {
                            "segment": "DTP",
                            "position": 57,
                            "element": "DTP03"
                          }
                        },
                        {
                          "rule": "CLAIM_REQUIRED_FIELD",
                          "category": "structure",
                          "severity": "error",
                          "message": "Service line 2 has 0 units; at least 1 is required.",
                          "path": "/serviceLines/1/units",
                          "codes": [
                            "97140"
                          ],
                          "suggestion": "Report the number of units billed (1 or more).",
                          "likelyDenial": {
                            "group": "CO",
                            "carc": "16",
                            "rarc": [
                              "MA130"
                            ]
                          },
                          "reference": "CMS-1500 / 837P required data elements; CMS Claims Processing Manual ch. 26",
                          "x12": {
                            "segment": "SV1",
                            "position": 56,
                            "element": "SV104"
                          }
                        }
                      ],
                      "fixes": [],
                      "codeSet": {
                        "system": "ICD-10-CM",
                        "version": "2026-04-01"
                      },
                      "rulesVersion": "2026.11.0+518e75a"
                    }
                  ]
                }
              },
              "clean-thoracic-therapy": {
                "summary": "The result for the clean-thoracic-therapy example claim",
                "value": {
                  "claimId": "EX-001",
                  "status": "pass",
                  "denialRisk": {
                    "score": 0,
                    "level": "low"
                  },
                  "summary": {
                    "errors": 0,
                    "warnings": 0,
                    "info": 0
                  },
                  "findings": [],
                  "fixes": [],
                  "codeSet": {
                    "system": "ICD-10-CM",
                    "version": "2026-04-01"
                  },
                  "rulesVersion": "2026.11.0+518e75a"
                }
              },
              "low-back-header-code": {
                "summary": "The result for the low-back-header-code example claim",
                "value": {
                  "claimId": "EX-003",
                  "status": "fail",
                  "denialRisk": {
                    "score": 80,
                    "level": "high"
                  },
                  "summary": {
                    "errors": 1,
                    "warnings": 0,
                    "info": 0
                  },
                  "findings": [
                    {
                      "rule": "DX_NOT_BILLABLE",
                      "category": "validity",
                      "severity": "error",
                      "message": "M54.5 (Low back pain) is a header code, not valid for submission in ICD-10-CM 2026-04-01.",
                      "path": "/diagnoses/0",
                      "codes": [
                        "M54.5"
                      ],
                      "suggestion": "Report one of M54.50, M54.51 or M54.59.",
                      "likelyDenial": {
                        "group": "CO",
                        "carc": "16",
                        "rarc": [
                          "M81"
                        ]
                      },
                      "reference": "ICD-10-CM Official Guidelines I.B.1-2 (code to the highest specificity)"
                    }
                  ],
                  "fixes": [],
                  "codeSet": {
                    "system": "ICD-10-CM",
                    "version": "2026-04-01"
                  },
                  "rulesVersion": "2026.11.0+518e75a"
                }
              },
              "office-visit-and-therapy-same-day": {
                "summary": "The result for the office-visit-and-therapy-same-day example claim",
                "value": {
                  "claimId": "EX-007",
                  "status": "fail",
                  "denialRisk": {
                    "score": 76,
                    "level": "high"
                  },
                  "summary": {
                    "errors": 1,
                    "warnings": 1,
                    "info": 0
                  },
                  "findings": [
                    {
                      "rule": "MOD_THERAPY",
                      "category": "modifier",
                      "severity": "error",
                      "message": "97140 is a therapy service and this payer requires GP, GO or GN on it.",
                      "path": "/serviceLines/1/modifiers",
                      "codes": [
                        "97140"
                      ],
                      "suggestion": "Append GP (physical therapy plan of care), GO (occupational) or GN (speech-language) to the line.",
                      "likelyDenial": {
                        "group": "CO",
                        "carc": "4",
                        "rarc": []
                      },
                      "reference": "CMS Claims Processing Manual ch. 5 §20.1 (therapy modifiers GP, GO, GN)"
                    },
                    {
                      "rule": "MOD_25",
                      "category": "modifier",
                      "severity": "warning",
                      "message": "The E/M visit 99213 on 2026-05-04 is billed with 97140 on the same date but without modifier 25.",
                      "path": "/serviceLines/0/modifiers",
                      "codes": [
                        "99213",
                        "97140"
                      ],
                      "suggestion": "Append 25 to the 99213 line if the visit was significant and separately identifiable from 97140 and documented so; otherwise do not bill the visit.",
                      "likelyDenial": {
                        "group": "CO",
                        "carc": "4",
                        "rarc": []
                      },
                      "reference": "CPT modifier 25; NCCI Policy Manual ch. 11"
                    }
                  ],
                  "fixes": [],
                  "codeSet": {
                    "system": "ICD-10-CM",
                    "version": "2026-04-01"
                  },
                  "rulesVersion": "2026.11.0+518e75a"
                }
              },
              "pain-coded-before-scoliosis": {
                "summary": "The result for the pain-coded-before-scoliosis example claim",
                "value": {
                  "claimId": "EX-006",
                  "status": "review",
                  "denialRisk": {
                    "score": 30,
                    "level": "medium"
                  },
                  "summary": {
                    "errors": 0,
                    "warnings": 1,
                    "info": 0
                  },
                  "findings": [
                    {
                      "rule": "DX_SYMPTOM_PRIMARY",
                      "category": "sequencing",
                      "severity": "warning",
                      "message": "The primary diagnosis M54.6 (Pain in thoracic spine) is a symptom, and the claim also codes the scoliosis M41.24 (Other idiopathic scoliosis, thoracic region) that explains it: list M41.24 first.",
                      "path": "/diagnoses/0",
                      "codes": [
                        "M54.6",
                        "M41.24"
                      ],
                      "suggestion": "Move M41.24 to the first position and keep M54.6 as a secondary diagnosis.",
                      "likelyDenial": {
                        "group": "CO",
                        "carc": "11",
                        "rarc": [
                          "M76"
                        ]
                      },
                      "reference": "ICD-10-CM Official Guidelines I.B.4-5, IV.D (symptoms with a definitive diagnosis)"
                    }
                  ],
                  "fixes": [
                    {
                      "op": "move",
                      "from": "/diagnoses/1",
                      "path": "/diagnoses/0"
                    },
                    {
                      "op": "replace",
                      "path": "/serviceLines/0/diagnosisPointers",
                      "value": [
                        2,
                        1
                      ]
                    }
                  ],
                  "codeSet": {
                    "system": "ICD-10-CM",
                    "version": "2026-04-01"
                  },
                  "rulesVersion": "2026.11.0+518e75a"
                }
              },
              "thoracic-mri-for-low-back-pain": {
                "summary": "The result for the thoracic-mri-for-low-back-pain example claim",
                "value": {
                  "claimId": "EX-005",
                  "status": "fail",
                  "denialRisk": {
                    "score": 77,
                    "level": "high"
                  },
                  "summary": {
                    "errors": 1,
                    "warnings": 1,
                    "info": 0
                  },
                  "findings": [
                    {
                      "rule": "PAIR_DX_PROCEDURE",
                      "category": "pairing",
                      "severity": "error",
                      "message": "72146 (imaging, thoracic spine) is not supported by the pointed diagnosis M54.50: it needs a thoracic spine diagnosis.",
                      "path": "/serviceLines/0/diagnosisPointers",
                      "codes": [
                        "72146",
                        "M54.50"
                      ],
                      "suggestion": "Point the line at a diagnosis that supports 72146, e.g. M54.6, M54.13, M54.14, M54.15, M51.x4, M51.x5, if the documentation establishes one.",
                      "likelyDenial": {
                        "group": "CO",
                        "carc": "11",
                        "rarc": [
                          "M76"
                        ]
                      },
                      "reference": "Payer coverage policy (NCD/LCD) for the procedure"
                    },
                    {
                      "rule": "DOC_MISSING",
                      "category": "documentation",
                      "severity": "warning",
                      "message": "The documentation has no imagingJustification, which advanced spine imaging (72146) requires.",
                      "path": "/documentation/imagingJustification",
                      "codes": [
                        "72146"
                      ],
                      "suggestion": "Document imagingJustification in the chart and send it in documentation.imagingJustification.",
                      "likelyDenial": {
                        "group": "CO",
                        "carc": "16",
                        "rarc": []
                      },
                      "reference": "CMS Documentation Guidelines; payer medical-necessity policy"
                    }
                  ],
                  "fixes": [],
                  "codeSet": {
                    "system": "ICD-10-CM",
                    "version": "2026-04-01"
                  },
                  "rulesVersion": "2026.11.0+518e75a"
                }
              },
              "timed-units-exceed-minutes": {
                "summary": "The result for the timed-units-exceed-minutes example claim",
                "value": {
                  "claimId": "EX-004",
                  "status": "fail",
                  "denialRisk": {
                    "score": 60,
                    "level": "medium"
                  },
                  "summary": {
                    "errors": 1,
                    "warnings": 0,
                    "info": 0
                  },
                  "findings": [
                    {
                      "rule": "TIMED_UNITS",
                      "category": "units",
                      "severity": "error",
                      "message": "97110 on 2026-05-04: 3 units billed for 20 timed minutes, but the Medicare method (total timed minutes of the date) supports 1.",
                      "path": "/serviceLines/0/units",
                      "codes": [
                        "97110"
                      ],
                      "suggestion": "Bill 1 unit.",
                      "likelyDenial": {
                        "group": "CO",
                        "carc": "151",
                        "rarc": [
                          "N362"
                        ]
                      },
                      "reference": "CMS Claims Processing Manual ch. 5 §20.2 (8-minute rule)"
                    }
                  ],
                  "fixes": [
                    {
                      "op": "replace",
                      "path": "/serviceLines/0/units",
                      "value": 1
                    }
                  ],
                  "codeSet": {
                    "system": "ICD-10-CM",
                    "version": "2026-04-01"
                  },
                  "rulesVersion": "2026.11.0+518e75a"
                }
              },
              "unspecified-dorsalgia-documented-thoracic": {
                "summary": "The result for the unspecified-dorsalgia-documented-thoracic example claim",
                "value": {
                  "claimId": "EX-002",
                  "status": "review",
                  "denialRisk": {
                    "score": 35,
                    "level": "medium"
                  },
                  "summary": {
                    "errors": 0,
                    "warnings": 1,
                    "info": 0
                  },
                  "findings": [
                    {
                      "rule": "DX_UNSPECIFIED",
                      "category": "specificity",
                      "severity": "warning",
                      "message": "M54.9 (Dorsalgia, unspecified) is unspecified, but the documentation places the pain in the thoracic spine: report M54.6.",
                      "path": "/diagnoses/0",
                      "codes": [
                        "M54.9"
                      ],
                      "suggestion": "Replace M54.9 with M54.6 (Pain in thoracic spine).",
                      "evidence": "notes: \"between the shoulder blades\"",
                      "likelyDenial": {
                        "group": "CO",
                        "carc": "16",
                        "rarc": [
                          "M81"
                        ]
                      },
                      "reference": "ICD-10-CM Official Guidelines I.B; Tabular M54.6"
                    }
                  ],
                  "fixes": [
                    {
                      "op": "replace",
                      "path": "/diagnoses/0",
                      "value": "M54.6"
                    }
                  ],
                  "codeSet": {
                    "system": "ICD-10-CM",
                    "version": "2026-04-01"
                  },
                  "rulesVersion": "2026.11.0+518e75a"
                }
              }
            }
          }
        }
      },
      "InputProblem": {
        "description": "The body is not JSON (`malformed-json`: `byteOffset` is where parsing stopped) or a\nvalue has the wrong JSON type (`invalid-claim`). `errors` names each bad value by\nJSON Pointer and its JSON kind, never the value. An X12 body that is not a usable\n837P interchange is `invalid-x12`, with the `segment` and its `position`. A\ncompressed body that does not inflate is a plain 400.\n",
        "headers": {
          "X-Request-Id": {
            "$ref": "#/components/headers/X-Request-Id"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            },
            "examples": {
              "malformed-units-type": {
                "summary": "The malformed-units-type example: units sent as a string",
                "value": {
                  "type": "https://claimscrub.dev/problems/invalid-claim",
                  "title": "Invalid claim",
                  "status": 400,
                  "detail": "One value of the claim has the wrong JSON type.",
                  "errors": [
                    {
                      "pointer": "/serviceLines/0/units",
                      "detail": "expected an integer, got a string"
                    }
                  ]
                }
              },
              "invalid-x12": {
                "summary": "An X12 body whose ISA is not an ISA",
                "value": {
                  "type": "https://claimscrub.dev/problems/invalid-x12",
                  "title": "Invalid X12 837P interchange",
                  "status": 400,
                  "detail": "segment 1 (ISA): ISA must be 106 characters: ISA01 is longer than 2 characters",
                  "segment": "ISA",
                  "position": 1
                }
              },
              "syntax": {
                "summary": "A body that is not JSON",
                "value": {
                  "type": "https://claimscrub.dev/problems/malformed-json",
                  "title": "Malformed JSON",
                  "status": 400,
                  "detail": "The request body is not valid JSON: expected a value (object, array, string, number, true, false or null) at byte 12.",
                  "byteOffset": 12,
                  "errors": [
                    {
                      "pointer": "/claimId",
                      "detail": "expected a value (object, array, string, number, true, false or null) at byte 12"
                    }
                  ]
                }
              }
            }
          }
        }
      },
      "Unauthorized": {
        "description": "No API key, or one that is not valid (only when `auth.enabled`).",
        "headers": {
          "WWW-Authenticate": {
            "schema": {
              "type": "string"
            },
            "example": "Bearer realm=\"claimscrub\""
          },
          "X-Request-Id": {
            "$ref": "#/components/headers/X-Request-Id"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            },
            "example": {
              "type": "https://claimscrub.dev/problems/unauthorized",
              "title": "Unauthorized",
              "status": 401,
              "detail": "Send an API key as `Authorization: Bearer <key>`."
            }
          }
        }
      },
      "MethodNotAllowed": {
        "description": "The path exists but not for this method; `Allow` lists the methods that are.",
        "headers": {
          "Allow": {
            "required": true,
            "schema": {
              "type": "string"
            },
            "example": "POST"
          },
          "X-Request-Id": {
            "$ref": "#/components/headers/X-Request-Id"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            },
            "example": {
              "type": "about:blank",
              "title": "Method Not Allowed",
              "status": 405,
              "detail": "This resource answers POST."
            }
          }
        }
      },
      "RequestTimeout": {
        "description": "The request head did not arrive within `headerTimeout`, or the body within `bodyTimeout` / `bodyIdleTimeout`. The connection is closed.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "LengthRequired": {
        "description": "A body sent without `Content-Length` or chunked framing.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "ContentTooLarge": {
        "description": "The body is larger than `maxBodyBytes` (1 MiB by default), or a compressed body inflates past `compression.maxDecompressedBytes` or `compression.maxRatio`.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "URITooLong": {
        "description": "The request target does not fit in `maxHeaderBytes`.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "UnsupportedMediaType": {
        "description": "The body's media type is not one the route takes (`Accept-Post` names them — `application/json, application/edi-x12` for `/v1/scrub`, `application/x-ndjson, application/jsonl` for `/v1/scrub/batch`), or its `Content-Encoding` is not gzip, deflate or identity (`Accept-Encoding` names them).",
        "headers": {
          "Accept-Post": {
            "schema": {
              "type": "string"
            },
            "example": "application/json, application/edi-x12"
          },
          "X-Request-Id": {
            "$ref": "#/components/headers/X-Request-Id"
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "HeaderFieldsTooLarge": {
        "description": "The request line and headers are larger than `maxHeaderBytes` (16 KiB by default).",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      },
      "Unavailable": {
        "description": "The server is at `maxConnections` (with `Retry-After`), draining before it stops, or (for `/readyz`) not ready.",
        "headers": {
          "Retry-After": {
            "schema": {
              "type": "string"
            }
          }
        },
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            },
            "example": {
              "type": "about:blank",
              "title": "Service Unavailable",
              "status": 503,
              "detail": "The server is draining connections before it stops."
            }
          }
        }
      },
      "VersionNotSupported": {
        "description": "An HTTP version other than 1.0 and 1.1.",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      }
    },
    "schemas": {
      "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details. Details name fields and JSON kinds, never values.",
        "required": [
          "type",
          "title",
          "status"
        ],
        "properties": {
          "type": {
            "type": "string",
            "description": "`about:blank` for plain HTTP errors, `https://claimscrub.dev/problems/<kind>` otherwise."
          },
          "title": {
            "type": "string"
          },
          "status": {
            "type": "integer",
            "minimum": 400,
            "maximum": 599
          },
          "detail": {
            "type": "string"
          },
          "byteOffset": {
            "type": "integer",
            "minimum": 0,
            "description": "For JSON syntax errors, the offset of the byte where parsing stopped."
          },
          "segment": {
            "type": "string",
            "description": "For X12 errors, the segment id at fault (`ISA`, `CLM` …)."
          },
          "position": {
            "type": "integer",
            "minimum": 0,
            "description": "For X12 errors, the 1-based position of that segment in the interchange."
          },
          "errors": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "pointer",
                "detail"
              ],
              "properties": {
                "pointer": {
                  "type": "string",
                  "description": "RFC 6901 JSON Pointer into the request body."
                },
                "detail": {
                  "type": "string"
                }
              }
            }
          }
        }
      },
      "Status": {
        "type": "object",
        "required": [
          "status"
        ],
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "ok",
              "ready"
            ]
          }
        }
      },
      "Denial": {
        "type": "object",
        "description": "A likely denial as an X12 claim adjustment group, CARC and RARCs.",
        "required": [
          "group",
          "carc",
          "rarc"
        ],
        "properties": {
          "group": {
            "type": "string",
            "examples": [
              "CO"
            ]
          },
          "carc": {
            "type": "string",
            "examples": [
              "16"
            ]
          },
          "rarc": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "examples": [
              [
                "M81"
              ]
            ]
          }
        }
      },
      "CodeSetVersion": {
        "type": "object",
        "required": [
          "system",
          "version"
        ],
        "properties": {
          "system": {
            "type": "string",
            "const": "ICD-10-CM"
          },
          "version": {
            "type": "string",
            "description": "The release's effective date, `YYYY-MM-DD`; `none` when no loaded release covers the claim's dates."
          }
        }
      },
      "CodeLookup": {
        "type": "object",
        "required": [
          "code",
          "description",
          "billable",
          "parent",
          "children",
          "excludes1",
          "manifestation",
          "codeSet"
        ],
        "properties": {
          "code": {
            "type": "string",
            "description": "Dotted, upper case."
          },
          "description": {
            "type": "string"
          },
          "billable": {
            "type": "boolean",
            "description": "False for a header (category or subcategory with children)."
          },
          "parent": {
            "type": [
              "string",
              "null"
            ]
          },
          "children": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "excludes1": {
            "type": "array",
            "description": "Codes or patterns (`M51.-`) that an Excludes1 note forbids with this code.",
            "items": {
              "type": "string"
            }
          },
          "manifestation": {
            "type": "boolean",
            "description": "A manifestation code, never reported first."
          },
          "codeSet": {
            "$ref": "#/components/schemas/CodeSetVersion"
          }
        }
      },
      "RuleCatalog": {
        "type": "object",
        "required": [
          "rulesVersion",
          "rules"
        ],
        "properties": {
          "rulesVersion": {
            "type": "string"
          },
          "rules": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/RuleEntry"
            }
          }
        }
      },
      "RuleEntry": {
        "type": "object",
        "required": [
          "id",
          "category",
          "severity",
          "weight",
          "description",
          "fixes",
          "enabled",
          "implemented"
        ],
        "properties": {
          "id": {
            "type": "string",
            "examples": [
              "DX_NOT_BILLABLE"
            ]
          },
          "category": {
            "$ref": "#/components/schemas/Category"
          },
          "severity": {
            "$ref": "#/components/schemas/Severity"
          },
          "weight": {
            "type": "number",
            "minimum": 0,
            "maximum": 1,
            "description": "The rule's share of the denial-risk score."
          },
          "description": {
            "type": "string"
          },
          "likelyDenial": {
            "$ref": "#/components/schemas/Denial"
          },
          "alternateDenial": {
            "$ref": "#/components/schemas/Denial"
          },
          "reference": {
            "type": "string"
          },
          "fixes": {
            "type": "boolean",
            "description": "Whether the rule offers safe automatic fixes."
          },
          "enabled": {
            "type": "boolean"
          },
          "implemented": {
            "type": "boolean"
          }
        }
      },
      "Category": {
        "type": "string",
        "enum": [
          "structure",
          "validity",
          "specificity",
          "sequencing",
          "pairing",
          "documentation",
          "units",
          "ncci",
          "modifier"
        ]
      },
      "Severity": {
        "type": "string",
        "enum": [
          "error",
          "warning",
          "info"
        ]
      },
      "Claim": {
        "type": "object",
        "description": "A professional claim (CMS-1500 / 837P). Every member is optional for the HTTP layer:\nmissing business data is a finding (`CLAIM_REQUIRED_FIELD` …), not a 400. Unknown\nmembers are ignored. A member that is `null` counts as absent. A value of the wrong JSON\ntype (a string for `units`, `null` as an array element, an integer beyond 64 bits)\nis a 400.\n",
        "properties": {
          "claimId": {
            "type": [
              "string",
              "null"
            ]
          },
          "payer": {
            "type": [
              "object",
              "null"
            ],
            "properties": {
              "id": {
                "type": [
                  "string",
                  "null"
                ],
                "description": "Chooses the payer profile; else `type`, else `default`."
              },
              "type": {
                "type": [
                  "string",
                  "null"
                ],
                "description": "`medicare`, `medicaid`, `commercial` or `other`."
              }
            }
          },
          "patient": {
            "type": [
              "object",
              "null"
            ],
            "properties": {
              "birthDate": {
                "type": [
                  "string",
                  "null"
                ],
                "description": "YYYY-MM-DD. A value that is not a real date is a CLAIM_DATE finding, not a 400."
              },
              "sex": {
                "type": [
                  "string",
                  "null"
                ]
              }
            }
          },
          "billingProvider": {
            "$ref": "#/components/schemas/Provider"
          },
          "renderingProvider": {
            "$ref": "#/components/schemas/Provider"
          },
          "placeOfService": {
            "type": [
              "string",
              "null"
            ]
          },
          "diagnoses": {
            "type": [
              "array",
              "null"
            ],
            "description": "ICD-10-CM codes, ordered; the first is the primary. 1–12 codes, with or without the dot, any case.",
            "items": {
              "type": "string"
            }
          },
          "serviceLines": {
            "type": [
              "array",
              "null"
            ],
            "items": {
              "$ref": "#/components/schemas/ServiceLine"
            }
          },
          "documentation": {
            "$ref": "#/components/schemas/Documentation"
          }
        }
      },
      "Provider": {
        "type": [
          "object",
          "null"
        ],
        "properties": {
          "npi": {
            "type": [
              "string",
              "null"
            ],
            "description": "10 digits passing the NPI Luhn check."
          }
        }
      },
      "ServiceLine": {
        "type": "object",
        "properties": {
          "procedureCode": {
            "type": [
              "string",
              "null"
            ]
          },
          "modifiers": {
            "type": [
              "array",
              "null"
            ],
            "items": {
              "type": "string"
            }
          },
          "units": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": -9223372036854775808,
            "maximum": 9223372036854775807
          },
          "chargeAmount": {
            "type": [
              "number",
              "null"
            ]
          },
          "serviceDate": {
            "type": [
              "string",
              "null"
            ],
            "description": "YYYY-MM-DD. A value that is not a real date is a CLAIM_DATE finding, not a 400."
          },
          "serviceDateEnd": {
            "type": [
              "string",
              "null"
            ],
            "description": "YYYY-MM-DD. A value that is not a real date is a CLAIM_DATE finding, not a 400."
          },
          "diagnosisPointers": {
            "type": [
              "array",
              "null"
            ],
            "description": "1-based positions in `diagnoses`, 1–4 per line (CMS-1500 24E).",
            "items": {
              "type": "integer",
              "minimum": -9223372036854775808,
              "maximum": 9223372036854775807
            }
          },
          "minutes": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": -9223372036854775808,
            "maximum": 9223372036854775807,
            "description": "Treatment time of a timed code."
          },
          "startTime": {
            "type": [
              "string",
              "null"
            ]
          },
          "endTime": {
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "Documentation": {
        "type": [
          "object",
          "null"
        ],
        "description": "What the chart documents; every member optional.",
        "properties": {
          "onsetDate": {
            "type": [
              "string",
              "null"
            ],
            "description": "YYYY-MM-DD. A value that is not a real date is a CLAIM_DATE finding, not a 400."
          },
          "severity": {
            "type": [
              "string",
              "null"
            ]
          },
          "progression": {
            "type": [
              "string",
              "null"
            ]
          },
          "painRegions": {
            "type": [
              "array",
              "null"
            ],
            "description": "cervical, cervicothoracic, thoracic, thoracolumbar, lumbar, lumbosacral, sacral.",
            "items": {
              "type": "string"
            }
          },
          "laterality": {
            "type": [
              "string",
              "null"
            ]
          },
          "examFindings": {
            "type": [
              "array",
              "null"
            ],
            "items": {
              "type": "string"
            }
          },
          "neurologicalDeficits": {
            "type": [
              "boolean",
              "null"
            ]
          },
          "imagingJustification": {
            "type": [
              "string",
              "null"
            ]
          },
          "conservativeTreatmentWeeks": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": -9223372036854775808,
            "maximum": 9223372036854775807
          },
          "relatedConditions": {
            "type": [
              "array",
              "null"
            ],
            "items": {
              "type": "string"
            }
          },
          "notes": {
            "type": [
              "string",
              "null"
            ],
            "description": "Free text; phrases in it may establish facts, and a finding built on one quotes it as evidence."
          }
        }
      },
      "ScrubResult": {
        "type": "object",
        "required": [
          "status",
          "denialRisk",
          "summary",
          "findings",
          "fixes",
          "codeSet",
          "rulesVersion"
        ],
        "properties": {
          "claimId": {
            "type": "string"
          },
          "status": {
            "type": "string",
            "enum": [
              "pass",
              "review",
              "fail"
            ],
            "description": "`fail` if any error, else `review` if any warning, else `pass`."
          },
          "denialRisk": {
            "type": "object",
            "required": [
              "score",
              "level"
            ],
            "properties": {
              "score": {
                "type": "integer",
                "minimum": 0,
                "maximum": 100
              },
              "level": {
                "type": "string",
                "enum": [
                  "low",
                  "medium",
                  "high"
                ]
              }
            }
          },
          "summary": {
            "type": "object",
            "required": [
              "errors",
              "warnings",
              "info"
            ],
            "properties": {
              "errors": {
                "type": "integer",
                "minimum": 0
              },
              "warnings": {
                "type": "integer",
                "minimum": 0
              },
              "info": {
                "type": "integer",
                "minimum": 0
              }
            }
          },
          "findings": {
            "type": "array",
            "description": "Errors first, then warnings, then info; within a severity by `path`.",
            "items": {
              "$ref": "#/components/schemas/Finding"
            }
          },
          "fixes": {
            "type": "array",
            "description": "An RFC 6902 JSON Patch of the safe automatic fixes, to apply to the request claim.",
            "items": {
              "$ref": "#/components/schemas/PatchOperation"
            }
          },
          "codeSet": {
            "$ref": "#/components/schemas/CodeSetVersion"
          },
          "rulesVersion": {
            "type": "string"
          }
        }
      },
      "Finding": {
        "type": "object",
        "required": [
          "rule",
          "category",
          "severity",
          "message",
          "path",
          "codes"
        ],
        "properties": {
          "rule": {
            "type": "string",
            "description": "A stable rule id of GET /v1/rules.",
            "examples": [
              "DX_UNSPECIFIED"
            ]
          },
          "category": {
            "$ref": "#/components/schemas/Category"
          },
          "severity": {
            "$ref": "#/components/schemas/Severity"
          },
          "message": {
            "type": "string"
          },
          "path": {
            "type": "string",
            "description": "RFC 6901 JSON Pointer into the request claim.",
            "examples": [
              "/diagnoses/0"
            ]
          },
          "codes": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "suggestion": {
            "type": "string"
          },
          "evidence": {
            "type": "string",
            "description": "The short documented phrase or field the finding rests on."
          },
          "likelyDenial": {
            "$ref": "#/components/schemas/Denial"
          },
          "reference": {
            "type": "string"
          },
          "x12": {
            "$ref": "#/components/schemas/X12SegmentRef"
          }
        }
      },
      "X12SegmentRef": {
        "type": "object",
        "description": "Where in the 837P interchange the finding's field is (X12 bodies only).",
        "required": [
          "segment",
          "position"
        ],
        "properties": {
          "segment": {
            "type": "string",
            "examples": [
              "HI"
            ]
          },
          "position": {
            "type": "integer",
            "minimum": 1,
            "description": "1-based position of the segment in the interchange."
          },
          "element": {
            "type": "string",
            "examples": [
              "HI02"
            ]
          }
        }
      },
      "X12Results": {
        "type": "object",
        "description": "The answer for an X12 837P interchange, one result per claim in interchange order.",
        "required": [
          "results"
        ],
        "properties": {
          "results": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ScrubResult"
            }
          }
        }
      },
      "PatchOperation": {
        "type": "object",
        "required": [
          "op",
          "path"
        ],
        "properties": {
          "op": {
            "type": "string",
            "enum": [
              "replace",
              "add",
              "remove",
              "move"
            ]
          },
          "path": {
            "type": "string"
          },
          "from": {
            "type": "string"
          },
          "value": {
            "description": "A code, a number, or an array of either (for `diagnosisPointers`).",
            "oneOf": [
              {
                "type": "string"
              },
              {
                "type": "integer"
              },
              {
                "type": "array",
                "items": {
                  "type": [
                    "string",
                    "integer"
                  ]
                }
              }
            ]
          }
        }
      }
    }
  }
}
"""##
}
