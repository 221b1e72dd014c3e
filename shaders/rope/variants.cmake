parlo_shader_variant(NAME rope_f32 SOURCE rope.comp)
