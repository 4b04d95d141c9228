/* The two JSON directions the fake needs: JSON text to a Dictionary (so the host can write
 * configurations as text), and a Variant to JSON text as the engine's JSON.stringify(value,
 * "", sort_keys, false) writes it: no spaces, integral floats as "1.0", keys sorted. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_private.h"

/* ---- JSON text -> Dictionary (host convenience) ---- */

typedef struct fake_json_reader {
	const char *at;
	bool failed;
} fake_json_reader;

static void fake_json_space(fake_json_reader *p_reader) {
	while (*p_reader->at == ' ' || *p_reader->at == '\n' || *p_reader->at == '\r' || *p_reader->at == '\t') {
		p_reader->at++;
	}
}

static bool fake_json_value(fake_json_reader *p_reader, fake_variant *r_value);

static bool fake_json_string(fake_json_reader *p_reader, fake_variant *r_value) {
	p_reader->at++; /* opening quote */
	char *buffer = fake_alloc(strlen(p_reader->at) + 1u);
	size_t length = 0;
	while (*p_reader->at != '"') {
		char c = *p_reader->at++;
		if (c == '\0') {
			free(buffer);
			return false;
		}
		if (c == '\\') {
			char e = *p_reader->at++;
			c = e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e == '0' ? '\0' : e;
		}
		buffer[length++] = c;
	}
	p_reader->at++;
	fake_variant_from_string(r_value, buffer, length);
	free(buffer);
	return true;
}

static bool fake_json_value(fake_json_reader *p_reader, fake_variant *r_value) {
	fake_json_space(p_reader);
	char c = *p_reader->at;
	if (c == '"') {
		return fake_json_string(p_reader, r_value);
	}
	if (c == '{') {
		p_reader->at++;
		fake_variant_nil(r_value);
		r_value->type = GDE_VARIANT_TYPE_DICTIONARY;
		fake_dictionary *dictionary = fake_dictionary_new();
		r_value->value.dictionary = dictionary;
		fake_json_space(p_reader);
		if (*p_reader->at == '}') {
			p_reader->at++;
			return true;
		}
		for (;;) {
			fake_json_space(p_reader);
			fake_variant key;
			fake_variant value;
			if (*p_reader->at != '"' || !fake_json_string(p_reader, &key)) {
				return false;
			}
			fake_json_space(p_reader);
			if (*p_reader->at++ != ':' || !fake_json_value(p_reader, &value)) {
				fake_variant_destroy(&key);
				return false;
			}
			fake_dictionary_put(dictionary, &key, &value); /* still counted live until the dictionary goes */
			fake_json_space(p_reader);
			if (*p_reader->at == ',') {
				p_reader->at++;
				continue;
			}
			if (*p_reader->at++ == '}') {
				return true;
			}
			return false;
		}
	}
	if (c == '[') {
		p_reader->at++;
		fake_variant_nil(r_value);
		r_value->type = GDE_VARIANT_TYPE_ARRAY;
		fake_array *array = fake_array_new();
		r_value->value.array = array;
		fake_json_space(p_reader);
		if (*p_reader->at == ']') {
			p_reader->at++;
			return true;
		}
		for (;;) {
			fake_variant item;
			if (!fake_json_value(p_reader, &item)) {
				return false;
			}
			fake_array_push(array, &item);
			fake_json_space(p_reader);
			if (*p_reader->at == ',') {
				p_reader->at++;
				continue;
			}
			if (*p_reader->at++ == ']') {
				return true;
			}
			return false;
		}
	}
	if (strncmp(p_reader->at, "true", 4) == 0 || strncmp(p_reader->at, "false", 5) == 0) {
		bool value = c == 't';
		p_reader->at += value ? 4 : 5;
		fake_variant_nil(r_value);
		r_value->type = GDE_VARIANT_TYPE_BOOL;
		r_value->value.boolean = value;
		return true;
	}
	if (strncmp(p_reader->at, "null", 4) == 0) {
		p_reader->at += 4;
		fake_variant_nil(r_value);
		return true;
	}
	char *end = NULL;
	const char *start = p_reader->at;
	size_t span = strspn(start, "+-0123456789.eE");
	if (span == 0) {
		return false;
	}
	if (memchr(start, '.', span) != NULL || memchr(start, 'e', span) != NULL || memchr(start, 'E', span) != NULL) {
		fake_variant_nil(r_value);
		r_value->type = GDE_VARIANT_TYPE_FLOAT;
		r_value->value.real = strtod(start, &end);
	} else {
		fake_variant_from_int(r_value, strtoll(start, &end, 10));
	}
	p_reader->at = start + span;
	return true;
}

bool fake_dictionary_from_json(void *r_slot, const char *p_json) {
	fake_json_reader reader = { p_json, false };
	fake_variant value;
	if (!fake_json_value(&reader, &value)) {
		return false;
	}
	if (value.type != GDE_VARIANT_TYPE_DICTIONARY) {
		fake_variant_destroy(&value);
		return false;
	}
	/* Move the dictionary out of the Variant into a slot. */
	memcpy(r_slot, &value.value.dictionary, sizeof(void *));
	fake_live.dictionaries++;
	fake_live.variants--;
	return true;
}

/* ---- Variant -> JSON text (the fake JSON.stringify) ---- */

typedef struct fake_json_writer {
	char *text;
	size_t length;
	size_t capacity;
} fake_json_writer;

static void fake_json_put(fake_json_writer *p_writer, const char *p_bytes, size_t p_length) {
	if (p_writer->length + p_length + 1u > p_writer->capacity) {
		p_writer->capacity = (p_writer->length + p_length + 1u) * 2u;
		p_writer->text = realloc(p_writer->text, p_writer->capacity);
	}
	memcpy(p_writer->text + p_writer->length, p_bytes, p_length);
	p_writer->length += p_length;
	p_writer->text[p_writer->length] = '\0';
}

static void fake_json_put_string(fake_json_writer *p_writer, const char *p_text, size_t p_length) {
	fake_json_put(p_writer, "\"", 1);
	for (size_t i = 0; i < p_length; i++) {
		unsigned char c = (unsigned char)p_text[i];
		char escaped[8];
		if (c == '"' || c == '\\') {
			snprintf(escaped, sizeof(escaped), "\\%c", c);
		} else if (c == '\n') {
			snprintf(escaped, sizeof(escaped), "\\n");
		} else if (c == '\r') {
			snprintf(escaped, sizeof(escaped), "\\r");
		} else if (c == '\t') {
			snprintf(escaped, sizeof(escaped), "\\t");
		} else if (c < 0x20) {
			snprintf(escaped, sizeof(escaped), "\\u%04x", c);
		} else {
			escaped[0] = (char)c;
			escaped[1] = '\0';
		}
		fake_json_put(p_writer, escaped, strlen(escaped));
	}
	fake_json_put(p_writer, "\"", 1);
}

static const fake_variant *fake_sort_base;

static int fake_key_order(const void *p_a, const void *p_b) {
	const fake_variant *a = &fake_sort_base[*(const int *)p_a];
	const fake_variant *b = &fake_sort_base[*(const int *)p_b];
	const char *ta = a->type == GDE_VARIANT_TYPE_STRING && a->value.string != NULL ? a->value.string->bytes : "";
	const char *tb = b->type == GDE_VARIANT_TYPE_STRING && b->value.string != NULL ? b->value.string->bytes : "";
	return strcmp(ta, tb);
}

static void fake_json_write(fake_json_writer *p_writer, const fake_variant *p_value, bool p_sort_keys) {
	char number[64];
	switch (p_value->type) {
		case GDE_VARIANT_TYPE_NIL:
			fake_json_put(p_writer, "null", 4);
			break;
		case GDE_VARIANT_TYPE_BOOL:
			fake_json_put(p_writer, p_value->value.boolean ? "true" : "false", p_value->value.boolean ? 4 : 5);
			break;
		case GDE_VARIANT_TYPE_INT:
			snprintf(number, sizeof(number), "%lld", (long long)p_value->value.integer);
			fake_json_put(p_writer, number, strlen(number));
			break;
		case GDE_VARIANT_TYPE_FLOAT: {
			double d = p_value->value.real;
			if (d == (double)(long long)d) {
				snprintf(number, sizeof(number), "%.1f", d);
			} else {
				snprintf(number, sizeof(number), "%.14g", d);
			}
			fake_json_put(p_writer, number, strlen(number));
			break;
		}
		case GDE_VARIANT_TYPE_STRING: {
			const fake_string_data *s = p_value->value.string;
			fake_json_put_string(p_writer, s != NULL ? s->bytes : "", s != NULL ? s->length : 0u);
			break;
		}
		case GDE_VARIANT_TYPE_STRING_NAME: {
			const char *t = fake_interned_text(p_value->value.string_name);
			fake_json_put_string(p_writer, t, strlen(t));
			break;
		}
		case GDE_VARIANT_TYPE_ARRAY: {
			const fake_array *a = p_value->value.array;
			fake_json_put(p_writer, "[", 1);
			for (int i = 0; i < a->count; i++) {
				if (i > 0) {
					fake_json_put(p_writer, ",", 1);
				}
				fake_json_write(p_writer, &a->items[i], p_sort_keys);
			}
			fake_json_put(p_writer, "]", 1);
			break;
		}
		case GDE_VARIANT_TYPE_DICTIONARY: {
			const fake_dictionary *d = p_value->value.dictionary;
			int *order = fake_alloc(sizeof(int) * (size_t)(d->count + 1));
			for (int i = 0; i < d->count; i++) {
				order[i] = i;
			}
			if (p_sort_keys) {
				fake_sort_base = d->keys;
				qsort(order, (size_t)d->count, sizeof(int), fake_key_order);
			}
			fake_json_put(p_writer, "{", 1);
			for (int i = 0; i < d->count; i++) {
				if (i > 0) {
					fake_json_put(p_writer, ",", 1);
				}
				const fake_variant *key = &d->keys[order[i]];
				if (key->type == GDE_VARIANT_TYPE_STRING) {
					fake_json_write(p_writer, key, p_sort_keys);
				} else {
					/* The engine turns other keys into their String form. */
					fake_json_writer inner = { NULL, 0, 0 };
					fake_json_write(&inner, key, p_sort_keys);
					fake_json_put_string(p_writer, inner.text, inner.length);
					free(inner.text);
				}
				fake_json_put(p_writer, ":", 1);
				fake_json_write(p_writer, &d->values[order[i]], p_sort_keys);
			}
			fake_json_put(p_writer, "}", 1);
			free(order);
			break;
		}
		default:
			snprintf(number, sizeof(number), "\"<Variant type %d>\"", (int)p_value->type);
			fake_json_put(p_writer, number, strlen(number));
			break;
	}
}

char *fake_json_stringify(const fake_variant *p_value, bool p_sort_keys) {
	fake_json_writer writer = { NULL, 0, 0 };
	fake_json_put(&writer, "", 0);
	fake_json_write(&writer, p_value, p_sort_keys);
	return writer.text;
}
