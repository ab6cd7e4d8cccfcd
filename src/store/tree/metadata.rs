//! Box metadata on the tree (`crate::store::metadata`): templates, and instances on the items a
//! space reaches. Each operation checks everything, then writes once.

use serde_json::{Map, Value};

use super::{is_kind, Tree};
use crate::store::domain::{ItemId, ItemKind, Space};
use crate::store::metadata::{
    apply_patch, validate, Field, FieldOption, Instance, InstanceRef, MetadataError, NewTemplate,
    PatchOp, Scope, Template, MAX_INSTANCES, MAX_TEMPLATES,
};
use crate::store::StoreError;

impl Tree {
    pub(crate) fn create_metadata_template(
        &mut self,
        new: NewTemplate,
    ) -> Result<Template, StoreError> {
        let state = self.sharing.metadata();
        if state.template(Scope::Enterprise, &new.key).is_ok() {
            return Err(MetadataError::TemplateExists.into());
        }
        if state.template_count() >= MAX_TEMPLATES {
            return Err(MetadataError::TooManyTemplates.into());
        }
        let state = self.sharing_mut().metadata_mut();
        let id = state.new_id();
        let fields = (new.fields.into_iter())
            .map(|field| Field {
                id: state.new_id(),
                kind: field.kind,
                key: field.key,
                display_name: field.display_name,
                description: field.description,
                hidden: field.hidden,
                options: (field.options.into_iter())
                    .map(|key| FieldOption {
                        id: state.new_id(),
                        key,
                    })
                    .collect(),
            })
            .collect();
        let template = Template {
            id,
            scope: Scope::Enterprise,
            key: new.key,
            display_name: new.display_name,
            hidden: new.hidden,
            copy_instance_on_item_copy: new.copy_instance_on_item_copy,
            fields,
        };
        state.insert_template(template.clone());
        Ok(template)
    }

    pub(crate) fn metadata_template(
        &self,
        scope: Scope,
        key: &str,
    ) -> Result<Template, StoreError> {
        Ok(self.sharing.metadata().template(scope, key)?)
    }

    pub(crate) fn metadata_templates(&self) -> Vec<Template> {
        self.sharing.metadata().templates().cloned().collect()
    }

    /// Deletes an enterprise template and every instance of it (the spec's
    /// `DELETE /metadata_templates/{scope}/{template_key}/schema`).
    pub(crate) fn delete_metadata_template(
        &mut self,
        scope: Scope,
        key: &str,
    ) -> Result<(), StoreError> {
        if scope == Scope::Global {
            return Err(MetadataError::GlobalTemplate.into());
        }
        self.sharing.metadata().template(scope, key)?;
        self.sharing_mut().metadata_mut().remove_template(key);
        Ok(())
    }

    /// The item, checked to be in the space, of the kind named and not in the trash.
    fn metadata_item(&self, space: &Space, item: ItemId, kind: ItemKind) -> Result<(), StoreError> {
        is_kind(self.node(space, item)?, Some(kind))
    }

    pub(crate) fn metadata_instances(
        &self,
        space: &Space,
        item: ItemId,
        kind: ItemKind,
    ) -> Result<Vec<Instance>, StoreError> {
        self.metadata_item(space, item, kind)?;
        Ok(self.sharing.metadata().instances(item).to_vec())
    }

    pub(crate) fn metadata_instance(
        &self,
        space: &Space,
        at: &InstanceRef,
    ) -> Result<Instance, StoreError> {
        self.metadata_item(space, at.item, at.kind)?;
        let state = self.sharing.metadata();
        match state.instance(at.item, at.scope, &at.template) {
            Some(instance) => Ok(instance.clone()),
            None => Err(MetadataError::InstanceNotFound.into()),
        }
    }

    pub(crate) fn create_metadata_instance(
        &mut self,
        space: &Space,
        at: &InstanceRef,
        values: Map<String, Value>,
    ) -> Result<Instance, StoreError> {
        self.metadata_item(space, at.item, at.kind)?;
        let state = self.sharing.metadata();
        let template = state.template(at.scope, &at.template)?;
        if state.instance(at.item, at.scope, &at.template).is_some() {
            return Err(MetadataError::InstanceExists.into());
        }
        if state.instances(at.item).len() >= MAX_INSTANCES {
            return Err(MetadataError::TooManyInstances.into());
        }
        validate(&template, &values)?;
        let state = self.sharing_mut().metadata_mut();
        let instance = Instance {
            id: state.new_id(),
            scope: at.scope,
            template: template.key,
            template_id: template.id,
            version: 0,
            values,
        };
        state.put_instance(at.item, instance.clone());
        Ok(instance)
    }

    /// Applies a JSON Patch to an instance, all or nothing; the result must fit the template.
    pub(crate) fn update_metadata_instance(
        &mut self,
        space: &Space,
        at: &InstanceRef,
        ops: &[PatchOp],
    ) -> Result<Instance, StoreError> {
        let mut instance = self.metadata_instance(space, at)?;
        let template = self.sharing.metadata().template(at.scope, &at.template)?;
        let values = apply_patch(&instance.values, ops)?;
        validate(&template, &values)?;
        instance.values = values;
        instance.version += 1;
        (self.sharing_mut().metadata_mut()).put_instance(at.item, instance.clone());
        Ok(instance)
    }

    pub(crate) fn delete_metadata_instance(
        &mut self,
        space: &Space,
        at: &InstanceRef,
    ) -> Result<(), StoreError> {
        self.metadata_instance(space, at)?;
        (self.sharing_mut().metadata_mut()).remove_instance(at.item, at.scope, &at.template);
        Ok(())
    }
}
