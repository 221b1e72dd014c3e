parlo_shader_variant(NAME rms_norm_f32 SOURCE rms_norm.comp DEFINES USE_SUBGROUPS)
parlo_shader_variant(NAME rms_norm_f32_nosg SOURCE rms_norm.comp)
parlo_shader_variant(NAME layer_norm_f32 SOURCE layer_norm.comp DEFINES USE_SUBGROUPS)
parlo_shader_variant(NAME layer_norm_f32_nosg SOURCE layer_norm.comp)
