# PARLO_SANITIZE=ON instruments everything built after this point with ASan and UBSan.
if(PARLO_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
