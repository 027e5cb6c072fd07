module mapc.local/tools/package-spec-validate

go 1.24.0

require github.com/elastic/package-spec/v3 v3.5.3

require (
	github.com/Masterminds/semver/v3 v3.4.0 // indirect
	github.com/PaesslerAG/gval v1.0.0 // indirect
	github.com/PaesslerAG/jsonpath v0.1.1 // indirect
	github.com/creasty/defaults v1.8.0 // indirect
	github.com/elastic/gojsonschema v1.2.1 // indirect
	github.com/elastic/kbncontent v0.1.4 // indirect
	github.com/evanphx/json-patch/v5 v5.9.11 // indirect
	github.com/go-viper/mapstructure/v2 v2.4.0 // indirect
	github.com/joeshaw/multierror v0.0.0-20140124173710-69b34d4ec901 // indirect
	github.com/kr/text v0.2.0 // indirect
	github.com/mitchellh/mapstructure v1.5.0 // indirect
	github.com/stretchr/objx v0.5.2 // indirect
	github.com/xeipuuv/gojsonpointer v0.0.0-20180127040702-4e3ac2762d5f // indirect
	github.com/xeipuuv/gojsonreference v0.0.0-20180127040603-bd5ef7bd5415 // indirect
	github.com/yuin/goldmark v1.7.13 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
