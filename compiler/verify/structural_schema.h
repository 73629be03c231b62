// From a CRD's structural schema to a JSON Schema (draft 4, as OpenAPI v3.0 writes bounds)
// that valijson validates with the meaning an API server gives it (crd_check.h says which
// rules hold and which are not evaluated).
#pragma once

#include <nlohmann/json.hpp>

namespace meshc::verify {

// The JSON Schema of one CRD version's openAPIV3Schema: an object schema that declares no
// additionalProperties and no x-kubernetes-preserve-unknown-fields rejects undeclared fields;
// x-kubernetes-int-or-string takes an integer or a string; nullable takes null;
// x-kubernetes-list-type: set wants unique items; a required field with a default may be left
// out; apiVersion, kind and metadata are always allowed at the top (metadata stays open:
// object_meta.h checks it). Throws std::runtime_error for a schema no API server would have
// accepted (a keyword of the wrong type), which valijson would otherwise abort on.
nlohmann::json structural_to_json_schema(const nlohmann::json& openapi_schema);

}  // namespace meshc::verify
