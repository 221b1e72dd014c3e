foreach(type IN LISTS PARLO_WEIGHT_TYPES)
  string(TOUPPER "${type}" TYPE)
  parlo_shader_variant(NAME get_rows_${type}_f32 SOURCE get_rows.comp DEFINES WEIGHT_${TYPE})
endforeach()
