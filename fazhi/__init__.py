"""fazhi: 法治政府建设 platform for township governments."""
