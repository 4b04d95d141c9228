/* The fake engine's values: interned StringNames, refcounted Strings (UTF-8 inside; the
 * engine's are UTF-32, which the ABI never shows), Variants, Dictionaries and Arrays (JSON:
 * fake_json.c). Every slot construction and destruction is counted in fake_live, so the
 * host can prove the shim destroys what it makes. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_private.h"

fake_counts fake_live;

void *fake_alloc(size_t p_size) {
	void *memory = calloc(1, p_size);
	if (memory == NULL) {
		fprintf(stderr, "fake engine: out of memory\n");
		abort();
	}
	return memory;
}

/* ---- String ---- */

static fake_string_data *fake_string_data_new(const char *p_utf8, size_t p_length) {
	if (p_length == 0) {
		return NULL;
	}
	fake_string_data *data = fake_alloc(sizeof(*data) + p_length + 1u);
	data->refcount = 1;
	data->length = p_length;
	memcpy(data->bytes, p_utf8, p_length);
	return data;
}

static void fake_string_data_unref(fake_string_data *p_data) {
	if (p_data != NULL && --p_data->refcount == 0) {
		free(p_data);
	}
}

void fake_string_init(void *r_slot, const char *p_utf8, size_t p_length) {
	fake_string_data *data = fake_string_data_new(p_utf8, p_length);
	memcpy(r_slot, &data, sizeof(data));
	fake_live.strings++;
}

void fake_string_copy(void *r_slot, const void *p_from) {
	fake_string_data *data;
	memcpy(&data, p_from, sizeof(data));
	if (data != NULL) {
		data->refcount++;
	}
	memcpy(r_slot, &data, sizeof(data));
	fake_live.strings++;
}

void fake_string_destroy(void *p_slot) {
	fake_string_data *data;
	memcpy(&data, p_slot, sizeof(data));
	fake_string_data_unref(data);
	memset(p_slot, 0xdd, sizeof(data)); /* a use after destroy reads garbage, loudly */
	fake_live.strings--;
}

const char *fake_string_text(const void *p_slot, size_t *r_length) {
	fake_string_data *data;
	memcpy(&data, p_slot, sizeof(data));
	if (r_length != NULL) {
		*r_length = data != NULL ? data->length : 0u;
	}
	return data != NULL ? data->bytes : "";
}

/* ---- StringName ---- */

static fake_interned *fake_interned_head;

fake_interned *fake_intern(const char *p_utf8, size_t p_length) {
	if (p_length == 0) {
		return NULL;
	}
	for (fake_interned *at = fake_interned_head; at != NULL; at = at->next) {
		if (at->length == p_length && memcmp(at->text, p_utf8, p_length) == 0) {
			return at;
		}
	}
	fake_interned *name = fake_alloc(sizeof(*name) + p_length + 1u);
	name->length = p_length;
	memcpy(name->text, p_utf8, p_length);
	name->next = fake_interned_head;
	fake_interned_head = name;
	return name;
}

const char *fake_interned_text(const fake_interned *p_name) {
	return p_name != NULL ? p_name->text : "";
}

void fake_string_name_init(void *r_slot, const char *p_utf8, size_t p_length) {
	fake_interned *name = fake_intern(p_utf8, p_length);
	memcpy(r_slot, &name, sizeof(name));
	fake_live.string_names++;
}

void fake_string_name_destroy(void *p_slot) {
	memset(p_slot, 0xdd, sizeof(void *));
	fake_live.string_names--;
}

const char *fake_string_name_text(const void *p_slot) {
	fake_interned *name;
	memcpy(&name, p_slot, sizeof(name));
	return fake_interned_text(name);
}

/* ---- Dictionary and Array ---- */

fake_dictionary *fake_dictionary_new(void) {
	fake_dictionary *dictionary = fake_alloc(sizeof(*dictionary));
	dictionary->refcount = 1;
	return dictionary;
}

void fake_dictionary_init(void *r_slot) {
	fake_dictionary *dictionary = fake_dictionary_new();
	memcpy(r_slot, &dictionary, sizeof(dictionary));
	fake_live.dictionaries++;
}

void fake_dictionary_copy(void *r_slot, const void *p_from) {
	fake_dictionary *dictionary;
	memcpy(&dictionary, p_from, sizeof(dictionary));
	dictionary->refcount++;
	memcpy(r_slot, &dictionary, sizeof(dictionary));
	fake_live.dictionaries++;
}

static void fake_dictionary_unref(fake_dictionary *p_dictionary) {
	if (--p_dictionary->refcount > 0) {
		return;
	}
	for (int i = 0; i < p_dictionary->count; i++) {
		fake_variant_destroy(&p_dictionary->keys[i]);
		fake_variant_destroy(&p_dictionary->values[i]);
	}
	free(p_dictionary->keys);
	free(p_dictionary->values);
	free(p_dictionary);
}

void fake_dictionary_destroy(void *p_slot) {
	fake_dictionary *dictionary;
	memcpy(&dictionary, p_slot, sizeof(dictionary));
	fake_dictionary_unref(dictionary);
	memset(p_slot, 0xdd, sizeof(dictionary));
	fake_live.dictionaries--;
}

void fake_dictionary_put(fake_dictionary *p_dictionary, fake_variant *p_key, fake_variant *p_value) {
	if (p_dictionary->count == p_dictionary->capacity) {
		p_dictionary->capacity = p_dictionary->capacity == 0 ? 4 : p_dictionary->capacity * 2;
		p_dictionary->keys = realloc(p_dictionary->keys, (size_t)p_dictionary->capacity * sizeof(fake_variant));
		p_dictionary->values = realloc(p_dictionary->values, (size_t)p_dictionary->capacity * sizeof(fake_variant));
	}
	p_dictionary->keys[p_dictionary->count] = *p_key;
	p_dictionary->values[p_dictionary->count] = *p_value;
	p_dictionary->count++;
}

fake_array *fake_array_new(void) {
	fake_array *array = fake_alloc(sizeof(*array));
	array->refcount = 1;
	return array;
}

void fake_array_init(void *r_slot) {
	fake_array *array = fake_array_new();
	memcpy(r_slot, &array, sizeof(array));
	fake_live.arrays++;
}

static void fake_array_unref(fake_array *p_array) {
	if (--p_array->refcount > 0) {
		return;
	}
	for (int i = 0; i < p_array->count; i++) {
		fake_variant_destroy(&p_array->items[i]);
	}
	free(p_array->items);
	free(p_array);
}

void fake_array_destroy(void *p_slot) {
	fake_array *array;
	memcpy(&array, p_slot, sizeof(array));
	fake_array_unref(array);
	memset(p_slot, 0xdd, sizeof(array));
	fake_live.arrays--;
}

void fake_array_push(fake_array *p_array, fake_variant *p_item) {
	if (p_array->count == p_array->capacity) {
		p_array->capacity = p_array->capacity == 0 ? 4 : p_array->capacity * 2;
		p_array->items = realloc(p_array->items, (size_t)p_array->capacity * sizeof(fake_variant));
	}
	p_array->items[p_array->count++] = *p_item;
}

/* ---- Variant ---- */

void fake_variant_nil(fake_variant *r_variant) {
	memset(r_variant, 0, sizeof(*r_variant));
	r_variant->type = GDE_VARIANT_TYPE_NIL;
	fake_live.variants++;
}

void fake_variant_copy(fake_variant *r_variant, const fake_variant *p_from) {
	*r_variant = *p_from;
	switch (p_from->type) {
		case GDE_VARIANT_TYPE_STRING:
			if (p_from->value.string != NULL) {
				p_from->value.string->refcount++;
			}
			break;
		case GDE_VARIANT_TYPE_OBJECT:
			if (p_from->value.object != NULL) {
				fake_object_take(p_from->value.object);
			}
			break;
		case GDE_VARIANT_TYPE_DICTIONARY:
			p_from->value.dictionary->refcount++;
			break;
		case GDE_VARIANT_TYPE_ARRAY:
			p_from->value.array->refcount++;
			break;
		default:
			break;
	}
	fake_live.variants++;
}

void fake_variant_destroy(fake_variant *p_variant) {
	switch (p_variant->type) {
		case GDE_VARIANT_TYPE_STRING:
			fake_string_data_unref(p_variant->value.string);
			break;
		case GDE_VARIANT_TYPE_OBJECT:
			if (p_variant->value.object != NULL) {
				fake_unreference(p_variant->value.object);
			}
			break;
		case GDE_VARIANT_TYPE_DICTIONARY:
			fake_dictionary_unref(p_variant->value.dictionary);
			break;
		case GDE_VARIANT_TYPE_ARRAY:
			fake_array_unref(p_variant->value.array);
			break;
		default:
			break;
	}
	memset(p_variant, 0xdd, sizeof(*p_variant));
	fake_live.variants--;
}

void fake_variant_from_int(fake_variant *r_variant, int64_t p_value) {
	fake_variant_nil(r_variant);
	r_variant->type = GDE_VARIANT_TYPE_INT;
	r_variant->value.integer = p_value;
}

void fake_variant_from_string(fake_variant *r_variant, const char *p_utf8, size_t p_length) {
	fake_variant_nil(r_variant);
	r_variant->type = GDE_VARIANT_TYPE_STRING;
	r_variant->value.string = fake_string_data_new(p_utf8, p_length);
}
