// Reads a physical device's capabilities into the public VulkanDeviceInfo.
#pragma once

#include "parlo/devices.h"
#include "vk_instance.h"

namespace parlo::vk {

VulkanDeviceInfo queryDeviceInfo(const Instance &instance, VkPhysicalDevice device, uint32_t index);
bool deviceHasExtension(const Instance &instance, VkPhysicalDevice device, const char *name);
DeviceInventory enumerateDevicesWith(const Instance &instance);

} // namespace parlo::vk
