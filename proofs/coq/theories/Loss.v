(** * The loss of a Spurious problem, written once over any ring-like signature.

    [loss o pb θ] is the training loss of problem [pb] at parameters [θ], computed with the operations [o].
    Instantiated at the reals ([Rops]) it IS the real-valued loss [L pb : list R -> R] that every soundness
    theorem talks about:
      - deep-linear, widths [d_0; …; d_H]: O = W_H ⋯ W_1 x for every sample column x
        (θ = W_1 row-major, W_2, …, W_i is d_i × d_{i-1});
      - two-layer: O = U σ(W x), σ(t) = Σ_k c_k t^k applied entrywise, W p × n, U d_y × p trained (after W in θ)
        or fixed (data);
      - fit: Σ over samples and outputs of ℓ(e), e = O − y: square ½e², mse e²/(d_y m), power e^p/p, poly Σ c_k e^k;
      - regulariser: Σ_i ½ λ_i θ_i² (one λ per parameter; zero entries are skipped).
    Instantiated at Q, at univariate polynomials and at Taylor models it computes the loss at a rational point,
    along a polynomial curve, and to second order with a remainder bound; [loss_rel] (parametricity) ties every
    such instance to [L].  Nothing here is specific to a certificate. *)
From Coq Require Import List QArith Qreals Reals Lra.
Import ListNotations.

Record Ops (A : Type) := mkOps {
  o_add : A -> A -> A;
  o_mul : A -> A -> A;
  o_opp : A -> A;
  o_cst : Q -> A }.
Arguments o_add {A}. Arguments o_mul {A}. Arguments o_opp {A}. Arguments o_cst {A}.

Inductive fit := Square | MSE | Power (p : nat) | PolyFit (c : list Q).

Inductive arch :=
  | DeepLinear (widths : list nat)
  | TwoLayer (n p dy : nat) (sigma : list Q) (U : option (list (list Q))).

(** Samples are columns: [p_X] holds the inputs x_1 … x_m, [p_Y] the targets y_1 … y_m. *)
Record problem := mkProblem {
  p_arch : arch; p_X : list (list Q); p_Y : list (list Q); p_fit : fit; p_lam : list Q }.

Section Build.
Context {A : Type} (o : Ops A).

Definition zero : A := o_cst o 0%Q.
Definition sub (a b : A) : A := o_add o a (o_opp o b).

Fixpoint sum (l : list A) : A :=
  match l with [] => zero | x :: r => o_add o x (sum r) end.

Fixpoint dot (u v : list A) : A :=
  match u, v with a :: u', b :: v' => o_add o (o_mul o a b) (dot u' v') | _, _ => zero end.

Definition matvec (W : list (list A)) (v : list A) : list A := map (fun r => dot r v) W.

Fixpoint horner (c : list Q) (x : A) : A :=
  match c with [] => zero | a :: c' => o_add o (o_cst o a) (o_mul o x (horner c' x)) end.

Fixpoint pow (x : A) (k : nat) : A :=
  match k with O => o_cst o 1%Q | S k' => o_mul o x (pow x k') end.

(** [chunks r c l]: the first r·c entries of l as r rows of c (row-major). *)
Fixpoint chunks (r c : nat) (l : list A) : list (list A) :=
  match r with O => [] | S r' => firstn c l :: chunks r' c (skipn c l) end.

Fixpoint layers (ws : list nat) (th : list A) : list (list (list A)) :=
  match ws with
  | d0 :: ((d1 :: _) as ws') => chunks d1 d0 th :: layers ws' (skipn (d1 * d0) th)
  | _ => []
  end.

Definition consts (x : list Q) : list A := map (o_cst o) x.

Definition forward (a : arch) (th : list A) (x : list Q) : list A :=
  match a with
  | DeepLinear ws => fold_left (fun v W => matvec W v) (layers ws th) (consts x)
  | TwoLayer n p dy sigma U =>
      let W := chunks p n th in
      let Um := match U with Some u => map consts u | None => chunks dy p (skipn (p * n) th) end in
      matvec Um (map (horner sigma) (matvec W (consts x)))
  end.

Definition fit_eval (f : fit) (m dy : nat) (e : A) : A :=
  match f with
  | Square => o_mul o (o_cst o (1 # 2)) (o_mul o e e)
  | MSE => o_mul o (o_cst o (/ inject_Z (Z.of_nat (dy * m)))) (o_mul o e e)
  | Power k => o_mul o (o_cst o (/ inject_Z (Z.of_nat k))) (pow e k)
  | PolyFit c => horner c e
  end.

Definition residuals (pb : problem) (th : list A) : list A :=
  concat (map (fun xy => map (fun oy => sub (fst oy) (o_cst o (snd oy)))
                              (combine (forward (p_arch pb) th (fst xy)) (snd xy)))
              (combine (p_X pb) (p_Y pb))).

Definition reg_term (lw : Q * A) : A :=
  if Qeq_bool (fst lw) 0 then zero else o_mul o (o_cst o (fst lw / 2)) (o_mul o (snd lw) (snd lw)).

Definition loss (pb : problem) (th : list A) : A :=
  let m := length (p_Y pb) in
  let dy := length (hd [] (p_Y pb)) in
  o_add o (sum (map (fit_eval (p_fit pb) m dy) (residuals pb th)))
          (sum (map reg_term (combine (p_lam pb) th))).
End Build.

(** The real numbers, and the loss as a real function. *)
Definition Rops : Ops R := mkOps R Rplus Rmult Ropp Q2R.
Definition L (pb : problem) (th : list R) : R := loss Rops pb th.

(** Parametricity: any instance whose operations are related to the real ones computes, from related
    parameters, a value related to the real loss. *)
Section Param.
Context {A : Type} (o : Ops A) (rel : A -> R -> Prop).
Hypothesis Hadd : forall a b x y, rel a x -> rel b y -> rel (o_add o a b) (x + y)%R.
Hypothesis Hmul : forall a b x y, rel a x -> rel b y -> rel (o_mul o a b) (x * y)%R.
Hypothesis Hopp : forall a x, rel a x -> rel (o_opp o a) (- x)%R.
Hypothesis Hcst : forall q, rel (o_cst o q) (Q2R q).

Local Notation R2 := (Forall2 rel).

Lemma zero_rel : rel (zero o) (zero Rops).
Proof. apply Hcst. Qed.

Lemma sum_rel : forall l k, R2 l k -> rel (sum o l) (sum Rops k).
Proof. induction 1; simpl; [apply zero_rel | apply Hadd; auto]. Qed.

Lemma dot_rel : forall u v u' v', R2 u u' -> R2 v v' -> rel (dot o u v) (dot Rops u' v').
Proof.
  intros u v u' v' Hu; revert v v'; induction Hu; intros v v' Hv; simpl.
  - apply zero_rel.
  - destruct Hv; simpl; [apply zero_rel | apply Hadd; auto].
Qed.

Lemma matvec_rel : forall W W' v v', Forall2 R2 W W' -> R2 v v' -> R2 (matvec o W v) (matvec Rops W' v').
Proof. induction 1; intros; simpl; constructor; auto using dot_rel. Qed.

Lemma horner_rel : forall c a x, rel a x -> rel (horner o c a) (horner Rops c x).
Proof. induction c; intros; simpl; [apply zero_rel | apply Hadd; auto]. Qed.

Lemma pow_rel : forall k a x, rel a x -> rel (pow o a k) (pow Rops x k).
Proof. induction k; intros; simpl; auto. Qed.

Lemma firstn_rel : forall n l k, R2 l k -> R2 (firstn n l) (firstn n k).
Proof. induction n; intros l k H; simpl; [constructor | destruct H; constructor; auto]. Qed.

Lemma skipn_rel : forall n l k, R2 l k -> R2 (skipn n l) (skipn n k).
Proof. induction n; intros l k H; simpl; [auto | destruct H; [constructor | auto]]. Qed.

Lemma chunks_rel : forall r c l k, R2 l k -> Forall2 R2 (chunks r c l) (chunks r c k).
Proof. induction r; intros; simpl; constructor; auto using firstn_rel, skipn_rel. Qed.

Lemma layers_rel : forall ws l k, R2 l k -> Forall2 (Forall2 R2) (layers ws l) (layers ws k).
Proof.
  induction ws as [|d0 ws IH]; intros; simpl; [constructor|].
  destruct ws as [|d1 ws']; [constructor|].
  constructor; [apply chunks_rel; auto | apply IH, skipn_rel; auto].
Qed.

Lemma consts_rel : forall x, R2 (consts o x) (consts Rops x).
Proof. induction x; simpl; constructor; auto. Qed.

Lemma map_rel : forall (f : A -> A) (g : R -> R), (forall a x, rel a x -> rel (f a) (g x)) ->
  forall l k, R2 l k -> R2 (map f l) (map g k).
Proof. induction 2; simpl; constructor; auto. Qed.

Lemma forward_rel : forall a l k x, R2 l k -> R2 (forward o a l x) (forward Rops a k x).
Proof.
  intros [ws | n p dy sigma U] l k x H; simpl.
  - assert (HL := layers_rel ws l k H).
    generalize (consts_rel x); generalize (consts o x) (consts Rops x).
    induction HL; intros v v' Hv; simpl; auto.
    apply IHHL, matvec_rel; auto.
  - apply matvec_rel.
    + destruct U as [u|]; [| apply chunks_rel, skipn_rel; auto].
      induction u; simpl; constructor; auto using consts_rel.
    + apply map_rel; [intros; apply horner_rel; auto|].
      apply matvec_rel; [apply chunks_rel; auto | apply consts_rel].
Qed.

Lemma fit_rel : forall f m dy a x, rel a x -> rel (fit_eval o f m dy a) (fit_eval Rops f m dy x).
Proof. intros [| |k|c] m dy a x H; simpl; auto using horner_rel, pow_rel. Qed.

Lemma residuals_rel : forall pb l k, R2 l k -> R2 (residuals o pb l) (residuals Rops pb k).
Proof.
  intros pb l k H; unfold residuals.
  induction (combine (p_X pb) (p_Y pb)) as [|[x y] r IH]; simpl; [constructor|].
  apply Forall2_app; auto.
  generalize (forward_rel (p_arch pb) l k x H).
  generalize (forward o (p_arch pb) l x) (forward Rops (p_arch pb) k x).
  intros u v Huv; revert y; induction Huv; intros [|b ys]; simpl; constructor; auto.
  unfold sub; apply Hadd; auto.
Qed.

Lemma loss_rel : forall pb l k, R2 l k -> rel (loss o pb l) (L pb k).
Proof.
  intros pb l k H; unfold loss, L, loss; simpl.
  apply Hadd.
  - apply sum_rel, map_rel; [intros; apply fit_rel; auto | apply residuals_rel; auto].
  - apply sum_rel. generalize (p_lam pb). induction H; intros [|lam lams]; simpl; constructor.
    + unfold reg_term; simpl. destruct (Qeq_bool lam 0); [apply zero_rel | apply Hmul; auto].
    + apply IHForall2.
Qed.
End Param.

(** The rationals: [loss Qops] is exact, and equals L at the point. *)
Definition Qops : Ops Q := mkOps Q (fun a b => Qred (a + b)) (fun a b => Qred (a * b)) Qopp (fun q => q).

Lemma loss_Q : forall pb th, Q2R (loss Qops pb th) = L pb (map Q2R th).
Proof.
  intros pb th.
  apply (loss_rel Qops (fun q x => Q2R q = x)).
  - intros a b x y <- <-. change (Q2R (Qred (a + b)) = (Q2R a + Q2R b)%R).
    rewrite (Qeq_eqR _ _ (Qred_correct _)). apply Q2R_plus.
  - intros a b x y <- <-. change (Q2R (Qred (a * b)) = (Q2R a * Q2R b)%R).
    rewrite (Qeq_eqR _ _ (Qred_correct _)). apply Q2R_mult.
  - intros a x <-. apply Q2R_opp.
  - reflexivity.
  - induction th; simpl; constructor; auto.
Qed.
