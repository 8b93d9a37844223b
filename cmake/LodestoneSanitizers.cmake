# LODE_SANITIZE=address,undefined adds -fsanitize to every target (dev preset).
if(LODE_SANITIZE)
  add_compile_options(-fsanitize=${LODE_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=${LODE_SANITIZE})
endif()
