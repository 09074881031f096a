//! `#[derive(Trace)]` for [pymem](https://docs.rs/pymem): writes the `unsafe impl Trace`
//! so that users never write `unsafe`.
//!
//! The generated `trace` calls `Trace::trace` once on every field (every field of the
//! variant in hand, for enums), except fields marked `#[trace(skip)]`. The generated
//! `TRACKED` is `true` when any traced field's type is tracked. Fields whose type mentions
//! the type being derived (`Box<Self>`, `Vec<Tree<T>>`) are evaluated with the type
//! replaced by an edge-free stand-in, which gives the right answer for recursive types
//! without a const-evaluation cycle. For mutually recursive types, put
//! `#[trace(tracked)]` on one of them to make it tracked without asking its fields.
//!
//! Attributes:
//! * `#[trace(skip)]` on a field: not traced and not required to implement `Trace` (for
//!   fields that hold no `Gc`; skipping one that does only leaks, never frees early);
//! * `#[trace(tracked)]` on the type: `TRACKED = true` without looking at the fields;
//! * `#[trace(finalize)]` on the type: objects of the type run its `pymem::Finalize` impl
//!   (PEP 442's `__del__`) before they are destroyed. `Finalize` requires it: an impl for a
//!   type derived without it does not compile, so a finalizer is never silently dropped;
//! * `#[trace(type_name = path::to_fn)]` on the type: `Trace::fmt_type_name` calls
//!   `path::to_fn(&self, formatter)`, so pymem's reports name each object as that function
//!   says (an interpreter's instances by their class) instead of by the Rust type;
//! * `#[trace(freelist)]` on the type: the blocks of its dead objects go on the free lists
//!   its `pymem::freelist::FreeList` impl names, and new objects take blocks from them.
//!   `FreeList` requires it, as `Finalize` requires `finalize`.
//!
//! The recursive type is recognised when a field spells it `Self` or by its bare name
//! (`Box<Node>`, `Vec<Tree<T>>`); a path such as `other::Node` names another type, whose
//! own `TRACKED` is asked. Spelled with a path (`self::Node`) the recursion is a const
//! cycle, a compile error: write `Self` or the bare name, or `#[trace(tracked)]`.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::visit_mut::{self, VisitMut};
use syn::{
    Data, DeriveInput, Error, Fields, GenericParam, Ident, Type, parse_macro_input, parse_quote,
};

/// Derives `pymem::Trace`; see the crate docs for the attributes.
#[proc_macro_derive(Trace, attributes(trace))]
pub fn derive_trace(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(input)
        .unwrap_or_else(Error::into_compile_error)
        .into()
}

/// The options found in one `#[trace(...)]` list.
#[derive(Default)]
struct Options {
    skip: bool,
    tracked: bool,
    finalize: bool,
    type_name: Option<syn::Path>,
    freelist: bool,
}

fn options(attrs: &[syn::Attribute], allowed: &[&str]) -> syn::Result<Options> {
    let mut options = Options::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("trace")) {
        attr.parse_nested_meta(|meta| {
            let name = meta
                .path
                .get_ident()
                .map(Ident::to_string)
                .unwrap_or_default();
            match name.as_str() {
                "skip" if allowed.contains(&"skip") => options.skip = true,
                "tracked" if allowed.contains(&"tracked") => options.tracked = true,
                "finalize" if allowed.contains(&"finalize") => options.finalize = true,
                "type_name" if allowed.contains(&"type_name") => {
                    options.type_name = Some(meta.value()?.parse()?);
                }
                "freelist" if allowed.contains(&"freelist") => options.freelist = true,
                _ => {
                    let list = allowed.join("`, `");
                    return Err(meta.error(format!("unknown trace option; expected `{list}`")));
                }
            }
            Ok(())
        })?;
    }
    Ok(options)
}

/// One traced field: the pattern binding it, its type, and its name (or index) for labels.
struct Field {
    binding: Ident,
    ty: Type,
    label: String,
}

/// A pattern that binds the traced fields of `fields` and ignores the rest.
fn pattern(path: TokenStream, fields: &Fields) -> syn::Result<(TokenStream, Vec<Field>)> {
    let mut traced = Vec::new();
    let mut parts = Vec::new();
    for (i, field) in fields.iter().enumerate() {
        let binding = format_ident!("__field{}", i);
        let skip = options(&field.attrs, &["skip"])?.skip;
        let bound = if skip { quote!(_) } else { quote!(#binding) };
        parts.push(match &field.ident {
            Some(name) => quote!(#name: #bound),
            None => bound,
        });
        if !skip {
            let label = field
                .ident
                .as_ref()
                .map_or_else(|| i.to_string(), |name| name.to_string());
            traced.push(Field {
                binding,
                ty: field.ty.clone(),
                label,
            });
        }
    }
    let pattern = match fields {
        Fields::Named(_) => quote!(#path { #(#parts),* }),
        Fields::Unnamed(_) => quote!(#path ( #(#parts),* )),
        Fields::Unit => quote!(#path),
    };
    Ok((pattern, traced))
}

/// Replaces the derived type (by its bare name, or `Self`) with the edge-free stand-in.
struct ReplaceSelf<'a>(&'a Ident);

impl ReplaceSelf<'_> {
    /// Whether `ty` names the derived type: one segment, `Self` or the type's name (with
    /// any generic arguments). `other::Node` is another type even inside `struct Node`.
    fn names_self(&self, ty: &syn::TypePath) -> bool {
        let syn::TypePath { qself, path } = ty;
        qself.is_none()
            && path.leading_colon.is_none()
            && path.segments.len() == 1
            && (path.segments[0].ident == *self.0 || path.segments[0].ident == "Self")
    }
}

impl VisitMut for ReplaceSelf<'_> {
    fn visit_type_mut(&mut self, ty: &mut Type) {
        if let Type::Path(path) = ty
            && self.names_self(path)
        {
            *ty = parse_quote!(::pymem::__private::NoEdges);
            return;
        }
        visit_mut::visit_type_mut(self, ty);
    }
}

fn tracked_expr(name: &Ident, forced: bool, fields: &[Field]) -> TokenStream {
    if forced {
        return quote!(true);
    }
    let terms = fields.iter().map(|field| {
        let mut ty = field.ty.clone();
        ReplaceSelf(name).visit_type_mut(&mut ty);
        quote!(<#ty as ::pymem::Trace>::TRACKED)
    });
    quote!(false #(|| #terms)*)
}

fn expand(mut input: DeriveInput) -> syn::Result<TokenStream> {
    let container = options(
        &input.attrs,
        &["tracked", "finalize", "type_name", "freelist"],
    )?;
    let forced = container.tracked;
    let name = input.ident.clone();
    let mut arms = Vec::new();
    let mut labelled_arms = Vec::new();
    let mut all_fields = Vec::new();
    match &input.data {
        Data::Struct(data) => {
            let (pat, fields) = pattern(quote!(Self), &data.fields)?;
            arms.push(arm(pat.clone(), &fields));
            labelled_arms.push(labelled_arm(pat, &fields));
            all_fields.extend(fields);
        }
        Data::Enum(data) => {
            for variant in &data.variants {
                let ident = &variant.ident;
                let (pat, fields) = pattern(quote!(Self::#ident), &variant.fields)?;
                arms.push(arm(pat.clone(), &fields));
                labelled_arms.push(labelled_arm(pat, &fields));
                all_fields.extend(fields);
            }
        }
        Data::Union(_) => {
            let msg = "Trace cannot be derived for unions: the active field is unknown";
            return Err(Error::new(Span::call_site(), msg));
        }
    }
    for param in &mut input.generics.params {
        if let GenericParam::Type(ty) = param {
            ty.bounds.push(parse_quote!(::pymem::Trace));
            // `Finalize: 'static` (and `FreeList`), so a generic type with either needs it
            // of its parameters.
            if container.finalize || container.freelist {
                ty.bounds.push(parse_quote!('static));
            }
        }
    }
    let tracked = tracked_expr(&name, forced, &all_fields);
    let finalizer = container.finalize.then(|| {
        quote! {
            const FINALIZER: ::core::option::Option<::pymem::__private::FinalizeFn> =
                ::core::option::Option::Some(::pymem::__private::FinalizeFn::of::<Self>());
        }
    });
    let type_name = container.type_name.as_ref().map(|path| {
        quote! {
            fn fmt_type_name(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #path(self, f)
            }
        }
    });
    let free_lists = container.freelist.then(|| {
        quote! {
            const FREE_LISTS: ::core::option::Option<::pymem::__private::FreeListHooks> =
                ::core::option::Option::Some(::pymem::__private::FreeListHooks::of::<Self>());
        }
    });
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    // `FreeList`'s supertrait: an `impl FreeList` compiles only where FREE_LISTS is set.
    let enable_free_lists = container.freelist.then(|| {
        quote! {
            #[automatically_derived]
            impl #impl_generics ::pymem::__private::FreeListEnabled
                for #name #ty_generics #where_clause {}
        }
    });
    // `Finalize`'s supertrait: an `impl Finalize` compiles only where FINALIZER is set.
    let enable_finalizer = container.finalize.then(|| {
        quote! {
            #[automatically_derived]
            impl #impl_generics ::pymem::__private::FinalizeEnabled
                for #name #ty_generics #where_clause {}
        }
    });
    Ok(quote! {
        #[automatically_derived]
        // SAFETY: generated by #[derive(Trace)]: every non-skipped field is traced exactly
        // once through its own `Trace` impl, and nothing else runs.
        unsafe impl #impl_generics ::pymem::Trace for #name #ty_generics #where_clause {
            const TRACKED: bool = #tracked;
            #finalizer
            #type_name
            #free_lists

            #[inline]
            fn trace(&self, visitor: &mut ::pymem::Visitor<'_>) {
                #[allow(unreachable_patterns)]
                match self {
                    #(#arms)*
                    _ => {}
                }
            }

            fn trace_labelled(&self, visitor: &mut ::pymem::Visitor<'_>) {
                #[allow(unreachable_patterns)]
                match self {
                    #(#labelled_arms)*
                    _ => {}
                }
            }
        }

        #enable_finalizer
        #enable_free_lists
    })
}

fn arm(pattern: TokenStream, fields: &[Field]) -> TokenStream {
    let bindings = fields.iter().map(|f| &f.binding);
    quote! {
        #pattern => { #(::pymem::Trace::trace(#bindings, visitor);)* }
    }
}

/// As [`arm`], for `trace_labelled`: each field inside `Visitor::at` with its name.
fn labelled_arm(pattern: TokenStream, fields: &[Field]) -> TokenStream {
    let bindings = fields.iter().map(|f| &f.binding);
    let labels = fields.iter().map(|f| &f.label);
    quote! {
        #pattern => {
            #(visitor.at(::pymem::Place::Field(#labels), |visitor| {
                ::pymem::Trace::trace_labelled(#bindings, visitor)
            });)*
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The field type after `ReplaceSelf` for `struct Node`, as a string.
    fn replaced(mut ty: Type) -> String {
        ReplaceSelf(&format_ident!("Node")).visit_type_mut(&mut ty);
        quote!(#ty).to_string().replace(' ', "")
    }

    #[test]
    fn the_bare_name_and_self_are_the_derived_type() {
        let stand_in = "::pymem::__private::NoEdges";
        assert_eq!(replaced(parse_quote!(Node)), stand_in);
        assert_eq!(replaced(parse_quote!(Self)), stand_in);
        assert_eq!(
            replaced(parse_quote!(Vec<Box<Node>>)),
            format!("Vec<Box<{stand_in}>>")
        );
        assert_eq!(
            replaced(parse_quote!(Option<Node<T>>)),
            format!("Option<{stand_in}>")
        );
    }

    #[test]
    fn a_path_to_a_type_of_the_same_name_is_another_type() {
        for ty in [
            parse_quote!(other_mod::Node),
            parse_quote!(::other_crate::Node),
            parse_quote!(Vec<super::Node>),
            parse_quote!(Self::Item),
        ] {
            let before = quote!(#ty).to_string().replace(' ', "");
            assert_eq!(replaced(ty), before);
        }
    }
}
