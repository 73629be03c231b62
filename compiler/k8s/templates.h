// The workload skeletons of templates/, compiled into the binary as code: a build-time tool
// (cmake/gen_templates.cpp) reads each YAML file with meshc's loader and emits a function that
// builds the same tree directly, so that no run parses a template. Each call returns a fresh
// tree.
//
// The function takes the values compiler/k8s/workloads.cpp fills in and puts each straight in
// its place: a member left null keeps what the template says there; one that is set replaces
// the template's value at its place, or, when the template has none, is added last to the
// mapping that holds it (in the order of the members). That is the tree assigning each set
// member, in order, with operator[] to the parsed template gives (tests/unit/templates_test.cpp),
// without building the placeholders. The mappings holding the places must be in the template:
// the build checks that.
#pragma once

#include "compiler/k8s/object.h"

namespace meshc::templates {

struct DeploymentFill {
  Object metadata;         // metadata
  Object match_labels;     // spec.selector.matchLabels
  Object pod_labels;       // spec.template.metadata.labels
  Object pod_annotations;  // spec.template.metadata.annotations
  Object container_name;   // spec.template.spec.containers[0].name
  Object image;            // spec.template.spec.containers[0].image
  Object container_port;   // spec.template.spec.containers[0].ports[0].containerPort
};

struct ServiceFill {
  Object metadata;      // metadata, the whole of it (then the four below go unused)
  Object name;          // metadata.name
  Object namespace_;    // metadata.namespace
  Object labels;        // metadata.labels
  Object annotations;   // metadata.annotations
  Object selector;      // spec.selector
  Object port;          // spec.ports[0].port
  Object target_port;   // spec.ports[0].targetPort
  Object app_protocol;  // spec.ports[0].appProtocol
};

Object deployment(DeploymentFill fill = {});  // templates/deployment.yaml
Object service(ServiceFill fill = {});        // templates/service.yaml

}  // namespace meshc::templates
