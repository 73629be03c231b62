// The workload skeletons of templates/, compiled into the binary as code: a build-time tool
// (cmake/gen_templates.cpp) reads each YAML file with meshc's loader, checks the shape
// compiler/k8s/workloads.cpp fills in, and emits a function that builds the same tree directly,
// so that no run parses a template. Each call returns a fresh tree.
#pragma once

#include "compiler/k8s/object.h"

namespace meshc::templates {

Object deployment();  // templates/deployment.yaml
Object service();     // templates/service.yaml

}  // namespace meshc::templates
