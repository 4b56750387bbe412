module knative-on-eks/test/cfn

go 1.25.0
