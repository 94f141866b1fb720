"""Customer domain: reads of golden customers and their holdings."""
