package main

// The Kubernetes API server's checks of a custom resource on create: object metadata, the CRD's OpenAPI schema for
// the object's version, and fields the schema does not know (which the server would prune, and which kubectl's
// default strict field validation rejects). The CRDs are read from the Knative modules this program is built with.

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	apiextensions "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	metavalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/yaml"
)

// crdDirs are where each module keeps the CRDs its release installs.
var crdDirs = map[string]string{
	"knative.dev/serving":    "config/core/300-resources",
	"knative.dev/networking": "config", // Serving's release installs these too (ClusterDomainClaim...)
	"knative.dev/eventing":   "config/core/resources",
	"knative.dev/operator":   "config/crd/bases",
}

type crdVersion struct {
	namespaced bool
	validator  apiservervalidation.SchemaValidator
	structural *structuralschema.Structural
}

// crdSchemas holds every served version of every Knative CRD, by group, version and kind.
type crdSchemas struct {
	versions map[schema.GroupVersionKind]crdVersion
}

func loadCRDs() (*crdSchemas, error) {
	s := &crdSchemas{versions: map[schema.GroupVersionKind]crdVersion{}}
	for module, sub := range crdDirs {
		dir, err := moduleDir(module)
		if err != nil {
			return nil, err
		}
		files, _ := filepath.Glob(filepath.Join(dir, sub, "*.yaml"))
		if len(files) == 0 {
			return nil, fmt.Errorf("no CRD files in %s", filepath.Join(dir, sub))
		}
		for _, file := range files {
			if err := s.add(file); err != nil {
				return nil, fmt.Errorf("%s: %w", file, err)
			}
		}
	}
	return s, nil
}

func (s *crdSchemas) add(file string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	for _, doc := range strings.Split(string(data), "\n---") {
		crd := &apiextensionsv1.CustomResourceDefinition{}
		if err := yaml.Unmarshal([]byte(doc), crd); err != nil {
			return err
		}
		if crd.Kind != "CustomResourceDefinition" {
			continue
		}
		for _, v := range crd.Spec.Versions {
			if !v.Served || v.Schema == nil || v.Schema.OpenAPIV3Schema == nil {
				continue
			}
			internal := &apiextensions.JSONSchemaProps{}
			if err := apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(v.Schema.OpenAPIV3Schema, internal, nil); err != nil {
				return err
			}
			structural, err := structuralschema.NewStructural(internal)
			if err != nil {
				return err
			}
			validator, _, err := apiservervalidation.NewSchemaValidator(internal)
			if err != nil {
				return err
			}
			gvk := schema.GroupVersionKind{Group: crd.Spec.Group, Version: v.Name, Kind: crd.Spec.Names.Kind}
			s.versions[gvk] = crdVersion{crd.Spec.Scope == apiextensionsv1.NamespaceScoped, validator, structural}
		}
	}
	return nil
}

// validate returns the API server's complaints about obj, whose kind and version a CRD serves.
func (s *crdSchemas) validate(gvk schema.GroupVersionKind, obj map[string]any) []string {
	v := s.versions[gvk]
	var msgs []string
	u := &unstructured.Unstructured{Object: runtime.DeepCopyJSON(obj)}
	if v.namespaced && u.GetNamespace() == "" {
		u.SetNamespace("default") // as kubectl does
	}
	for _, e := range metavalidation.ValidateObjectMetaAccessor(u, v.namespaced, metavalidation.NameIsDNSSubdomain, nil) {
		msgs = append(msgs, "metadata: "+e.Error())
	}
	for _, e := range apiservervalidation.ValidateCustomResource(nil, u.Object, v.validator) {
		msgs = append(msgs, "schema: "+e.Error())
	}
	pruned := runtime.DeepCopyJSON(obj)
	for _, path := range pruning.PruneWithOptions(pruned, v.structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true}) {
		msgs = append(msgs, fmt.Sprintf("schema: unknown field %q", path))
	}
	return msgs
}

// moduleVersion is the version of a module this program was built with.
func moduleVersion(path string) (string, error) {
	info, ok := debug.ReadBuildInfo()
	if ok {
		for _, m := range info.Deps {
			if m.Path == path {
				if m.Replace != nil {
					m = m.Replace
				}
				return m.Version, nil
			}
		}
	}
	return "", fmt.Errorf("this binary was not built with %s", path)
}
