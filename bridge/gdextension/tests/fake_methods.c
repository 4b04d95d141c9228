/* The fake engine's side of extension-class methods (get_stats) and of the Dictionary index
 * operator the shim fills its answers with: registration checked as the engine reads it,
 * the two calling conventions, and Dictionary lookups for the host's checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_private.h"

void fake_classdb_register_extension_class_method(gde_library p_library, const gde_string_name *p_class,
		const gde_class_method_info *p_info) {
	const char *class_name = fake_string_name_text(p_class);
	fake_class *class_record = fake_class_find(class_name);
	if (p_library != fake_library_token() || class_record == NULL) {
		fake_abi_violation("register a method of %s: not a class this library registered", class_name);
		return;
	}
	if (p_info == NULL || p_info->name == NULL || p_info->call_func == NULL) {
		fake_abi_violation("register a method of %s: no name or call function", class_name);
		return;
	}
	const char *name = fake_string_name_text(p_info->name);
	/* The engine builds a PropertyInfo from these: each pointer is dereferenced. */
	if (p_info->has_return_value && (p_info->return_value_info == NULL || p_info->return_value_info->name == NULL ||
			p_info->return_value_info->class_name == NULL || p_info->return_value_info->hint_string == NULL)) {
		fake_abi_violation("register %s.%s: the return value's info has a NULL name, class name or hint string", class_name, name);
		return;
	}
	if ((p_info->argument_count != 0 && p_info->arguments_info == NULL) ||
			(p_info->default_argument_count != 0 && p_info->default_arguments == NULL)) {
		fake_abi_violation("register %s.%s: arguments declared without their info", class_name, name);
		return;
	}
	if (class_record->method_count == FAKE_MAX_METHODS || fake_method_return_type(class_record, name) != -1) {
		fake_abi_violation("register %s.%s: already registered (or too many)", class_name, name);
		return;
	}
	fake_method *method = &class_record->methods[class_record->method_count++];
	method->name = fake_intern(name, strlen(name));
	method->info = *p_info;
	method->info.name = NULL;
	method->info.return_value_info = NULL;
	method->return_type = p_info->has_return_value ? p_info->return_value_info->type : GDE_VARIANT_TYPE_NIL;
	method->return_usage = p_info->has_return_value ? p_info->return_value_info->usage : 0u;
}

static const fake_method *fake_method_find(const fake_class *p_class, const char *p_name) {
	for (int i = 0; p_class != NULL && i < p_class->method_count; i++) {
		if (strcmp(fake_interned_text(p_class->methods[i].name), p_name) == 0) {
			return &p_class->methods[i];
		}
	}
	return NULL;
}

int32_t fake_method_return_type(const fake_class *p_class, const char *p_name) {
	const fake_method *method = fake_method_find(p_class, p_name);
	return method != NULL ? method->return_type : -1;
}

bool fake_call_method(fake_object *p_object, const char *p_name, const fake_variant *const *p_args, int p_count,
		fake_variant *r_ret, gde_call_error *r_error) {
	/* The engine's `Variant ret;`: a NIL that owns nothing, which call_func constructs over. */
	memset(r_ret, 0, sizeof(*r_ret));
	r_ret->type = GDE_VARIANT_TYPE_NIL;
	memset(r_error, 0, sizeof(*r_error));
	if (fake_object_checked(p_object, p_name) == NULL) {
		fake_live.variants++;
		return false;
	}
	const fake_method *method = fake_method_find(p_object->extension, p_name);
	if (method == NULL) {
		r_error->error = 1; /* CALL_ERROR_INVALID_METHOD */
		fake_live.variants++;
		return false;
	}
	method->info.call_func(method->info.method_userdata, p_object->instance, (const gde_variant *const *)p_args, p_count,
			(gde_variant *)r_ret, r_error);
	if (r_ret->type == GDE_VARIANT_TYPE_NIL) {
		fake_live.variants++; /* still the engine's own NIL: counted like any Variant the caller destroys */
	}
	return true;
}

bool fake_ptrcall_method(fake_object *p_object, const char *p_name, void *r_ret) {
	if (fake_object_checked(p_object, p_name) == NULL) {
		return false;
	}
	const fake_method *method = fake_method_find(p_object->extension, p_name);
	if (method == NULL || method->info.ptrcall_func == NULL) {
		return false;
	}
	method->info.ptrcall_func(method->info.method_userdata, p_object->instance, NULL, r_ret);
	return true;
}

/* ---- Dictionary ---- */

static bool fake_key_is(const fake_variant *p_key, const char *p_text, size_t p_length) {
	if (p_key->type != GDE_VARIANT_TYPE_STRING) {
		return false;
	}
	size_t length = 0;
	const char *text = fake_string_text(&p_key->value.string, &length);
	return length == p_length && memcmp(text, p_text, p_length) == 0;
}

gde_variant *fake_dictionary_operator_index(void *p_self, const gde_variant *p_key) {
	fake_dictionary *dictionary;
	memcpy(&dictionary, p_self, sizeof(dictionary));
	const fake_variant *key = (const fake_variant *)p_key;
	if (key->type != GDE_VARIANT_TYPE_STRING) {
		fake_abi_violation("dictionary_operator_index: this fake takes String keys only (got type %d)", (int)key->type);
		return NULL;
	}
	size_t length = 0;
	const char *text = fake_string_text(&key->value.string, &length);
	for (int i = 0; i < dictionary->count; i++) {
		if (fake_key_is(&dictionary->keys[i], text, length)) {
			return (gde_variant *)&dictionary->values[i];
		}
	}
	fake_variant copy;
	fake_variant value;
	fake_variant_copy(&copy, key);
	fake_variant_nil(&value);
	fake_dictionary_put(dictionary, &copy, &value);
	return (gde_variant *)&dictionary->values[dictionary->count - 1];
}

const fake_variant *fake_dictionary_get(const fake_variant *p_dictionary, const char *p_key) {
	if (p_dictionary == NULL || p_dictionary->type != GDE_VARIANT_TYPE_DICTIONARY) {
		return NULL;
	}
	const fake_dictionary *dictionary = p_dictionary->value.dictionary;
	for (int i = 0; i < dictionary->count; i++) {
		if (fake_key_is(&dictionary->keys[i], p_key, strlen(p_key))) {
			return &dictionary->values[i];
		}
	}
	return NULL;
}

int fake_dictionary_size(const fake_variant *p_dictionary) {
	return p_dictionary != NULL && p_dictionary->type == GDE_VARIANT_TYPE_DICTIONARY ? p_dictionary->value.dictionary->count : -1;
}
