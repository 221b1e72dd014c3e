parlo_shader_variant(NAME moe_route_f32 SOURCE moe_route.comp)
parlo_shader_variant(NAME moe_combine_f32 SOURCE moe_combine.comp)
